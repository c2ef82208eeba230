package signal

import (
	"fmt"
	"strconv"
	"strings"
)

// ecgNames are signal descriptions taken for ECG leads (compared in upper
// case); any description starting with ECG or EKG is one too.
var ecgNames = []string{"MLII", "MLI", "MLIII", "II", "I", "III", "V1", "V2", "V3", "V4", "V5", "V6",
	"AVR", "AVL", "AVF", "ECG", "EKG", "ML5", "V", "CM5", "D3"}

// IsECG reports whether a signal description names an ECG lead (MLII, II,
// V1-V6, I, III, aVR/aVL/aVF, ECG..., case-insensitive).
func IsECG(desc string) bool {
	d := strings.ToUpper(strings.TrimSpace(desc))
	if strings.HasPrefix(d, "ECG") || strings.HasPrefix(d, "EKG") {
		return true
	}
	for _, n := range ecgNames {
		if d == n {
			return true
		}
	}
	return false
}

// FirstECG returns the index of the first signal whose description is an
// ECG lead (IsECG), or 0 when none is (or -1 when there are no signals).
func FirstECG(names []string) int {
	if len(names) == 0 {
		return -1
	}
	for i, n := range names {
		if IsECG(n) {
			return i
		}
	}
	return 0
}

// UnknownError reports a signal name or index that a record does not have.
type UnknownError struct {
	Want  string   // the name or index asked for
	Names []string // the record's signal descriptions
}

func (e *UnknownError) Error() string {
	list := make([]string, len(e.Names))
	for i, n := range e.Names {
		list[i] = fmt.Sprintf("%d=%s", i, n)
	}
	return fmt.Sprintf("no signal %q (signals: %s)", e.Want, strings.Join(list, ", "))
}

// Select resolves a signal list against the descriptions of a record's
// signals, the one rule every command follows. spec is a comma-separated
// list whose items are a description (case-insensitive, surrounding space
// ignored) or a 0-based index; a description wins over an index when a
// signal is literally named "1". "all" (alone, any case) and "" select every
// signal, in order. An item that matches no signal is an *UnknownError.
// The result keeps the order of spec; an item listed twice is kept once.
func Select(names []string, spec string) ([]int, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" || strings.EqualFold(spec, "all") {
		out := make([]int, len(names))
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	var out []int
	seen := make(map[int]bool)
	for _, item := range strings.Split(spec, ",") {
		i, err := index(names, strings.TrimSpace(item))
		if err != nil {
			return nil, err
		}
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out, nil
}

// index resolves one item of a signal list.
func index(names []string, item string) (int, error) {
	for i, n := range names {
		if strings.EqualFold(strings.TrimSpace(n), item) {
			return i, nil
		}
	}
	if k, err := strconv.Atoi(item); err == nil && k >= 0 && k < len(names) {
		return k, nil
	}
	return -1, &UnknownError{Want: item, Names: names}
}
