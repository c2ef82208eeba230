package wfdb

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// WriteRdann writes anns as `rdann -r REC -a ANN` prints them, byte for
// byte: the elapsed time (FormatTime), two spaces, the sample number in
// seven columns, the mnemonic in six, subtype, chan and num in five each,
// and, when Aux is not empty, a tab and Aux up to its first NUL byte.
//
// anns should be what ReadAnnotations returns (or DecodeAnnotations
// followed by SplitDefinitions, as rdann sees a file); custom mnemonics
// that a definition table may set are not applied. It formats times as
// intervals from the start of the record, as rdann -e does; rdann without
// -e prints times of day ("[08:30:00.000]") for records whose header has a
// base time: WriteRdannClock.
// An Aux that is present but empty (an AUX word of length 0, which WFDB
// writers never produce) prints as rdann prints no Aux.
func WriteRdann(w io.Writer, anns []Annotation, fs float64) error {
	return WriteRdannClock(w, anns, Clock{fs: fs}) // a Clock without base: elapsed times
}

// WriteRdannClock writes anns as WriteRdann does, with times formatted
// by c: `rdann -r REC -a ANN` byte for byte also for records whose header
// gives a base time or date (NewClock(header)).
func WriteRdannClock(w io.Writer, anns []Annotation, c Clock) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	line := make([]byte, 0, 128)
	for i := range anns {
		line = appendRdannRow(c.Append(line[:0], anns[i].Sample), &anns[i])
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// AppendRdann appends the rdann row of a (with its newline) to b; see
// WriteRdann.
func AppendRdann(b []byte, a *Annotation, fs float64) []byte {
	return appendRdannRow(appendTime(b, a.Sample, fs), a)
}

// appendRdannRow appends the columns after the time.
func appendRdannRow(b []byte, a *Annotation) []byte {
	b = append(b, "  "...)
	b = appendRight(b, strconv.FormatInt(a.Sample, 10), 7)
	b = appendRight(b, a.Type.Symbol(), 6)
	b = appendRight(b, strconv.Itoa(a.Subtype), 5)
	b = appendRight(b, strconv.Itoa(a.Chan), 5)
	b = appendRight(b, strconv.Itoa(a.Num), 5)
	if a.Aux != "" {
		aux := a.Aux
		if i := strings.IndexByte(aux, 0); i >= 0 {
			aux = aux[:i]
		}
		b = append(b, '\t')
		b = append(b, aux...)
	}
	return append(b, '\n')
}

// appendRight appends s right-aligned in width columns (printf "%*s").
func appendRight(b []byte, s string, width int) []byte {
	for n := len(s); n < width; n++ {
		b = append(b, ' ')
	}
	return append(b, s...)
}
