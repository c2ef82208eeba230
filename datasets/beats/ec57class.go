package beats

import (
	"fmt"
	"io"
	"strings"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// ClassNames are the rows and columns of a ClassMatrix: the ANSI/AAMI
// EC57 beat classes N, S, V, F, Q (wfdb.Code.AAMI), then O, a beat the
// other side lacks (a row: a test beat matching no reference beat; a
// column: a reference beat the test missed).
const ClassNames = "NSVFQO"

// ClassMatrix is EC57's beat-by-beat class comparison, as the WFDB
// program bxb tallies it: M[r][t] counts the beats of reference class r
// labelled t by the test, indexed as ClassNames. Row O counts unmatched
// test beats, column O unmatched reference beats; M[O][O] stays 0. (bxb
// draws the unmatched test beats inside a reference shutdown, noise with
// subtype -1, in a row of their own, X; its statistics count them as row
// O does, and so does ClassMatrix.)
type ClassMatrix [6][6]int

// classO indexes row and column O.
const classO = 5

// ClassIndex returns the index in ClassNames of the class bxb gives a
// beat code: its AAMI class (wfdb.Code.AAMI) but for the escape beats e,
// j and n, which bxb counts as S where EC57's table lists e and j under N
// (measured: bxb's S row of mitdb 222 and 223 holds their j and e beats);
// Q for codes that are not beats.
func ClassIndex(c wfdb.Code) int {
	switch c {
	case wfdb.AEsc, wfdb.NEsc, wfdb.SVEsc:
		return idx('S')
	}
	if a := c.AAMI(); a != 0 {
		return idx(a)
	}
	return idx('Q')
}

// CompareClasses compares the beat labels of test with those of the
// reference annotations ref (a record of nFrames samples at fs Hz) the
// way bxb does: the beats are matched by Match with opt (give opt.Exclude
// nil: the reference's ventricular flutter episodes are added, as
// Reference finds them), and each pair, missed reference beat and extra
// test beat is counted by AAMI class. The match is returned too: its
// indices count the beat annotations of ref and test (Code.IsBeat).
func CompareClasses(ref, test []wfdb.Annotation, fs float64, nFrames int64, opt MatchOptions) (ClassMatrix, MatchResult) {
	refBeats, vf := Reference(ref, nFrames)
	opt.Exclude = append(opt.Exclude[:len(opt.Exclude):len(opt.Exclude)], vf...)
	refClass := beatClasses(ref)
	testClass := beatClasses(test)
	m := Match(refBeats, BeatSamples(test), fs, opt)
	var cm ClassMatrix
	for _, p := range m.Matches {
		cm[refClass[p[0]]][testClass[p[1]]]++
	}
	for _, i := range m.Missed {
		cm[refClass[i]][classO]++
	}
	for _, j := range m.Extra {
		cm[classO][testClass[j]]++
	}
	return cm, m
}

// beatClasses returns the ClassIndex of each beat annotation of anns, in
// order (as Reference and BeatSamples list them).
func beatClasses(anns []wfdb.Annotation) []int {
	var c []int
	for _, a := range anns {
		if a.Type.IsBeat() {
			c = append(c, ClassIndex(a.Type))
		}
	}
	return c
}

// Add adds the counts of o to m (gross statistics over records).
func (m *ClassMatrix) Add(o ClassMatrix) {
	for r := range m {
		for t := range m[r] {
			m[r][t] += o[r][t]
		}
	}
}

// idx is the index of class c ('N', 'S', ...) in ClassNames.
func idx(c byte) int { return strings.IndexByte(ClassNames, c) }

// QRS returns the beat detection counts: TP the matched beats, FN the
// reference beats missed, FP the extra test beats.
func (m *ClassMatrix) QRS() MatchResult {
	var r MatchResult
	for i := range classO {
		for j := range classO {
			r.TP += m[i][j]
		}
		r.FN += m[i][classO]
		r.FP += m[classO][i]
	}
	return r
}

// VEB returns EC57's ventricular ectopic beat counts: TP the reference V
// beats labelled V; FN the other reference V beats (labelled otherwise or
// missed); FP the beats labelled V that are N or S in the reference or
// match no reference beat. Reference F and Q beats labelled V count as
// neither (EC57: a fusion beat called ventricular is not an error).
func (m *ClassMatrix) VEB() MatchResult { return m.ectopic('V', "NSO") }

// SVEB returns EC57's supraventricular ectopic beat counts: TP the
// reference S beats labelled S; FN the other reference S beats; FP the
// beats labelled S that are N, V or F in the reference or match no
// reference beat. Reference Q beats labelled S count as neither. (Both
// rules measured against bxb, which implements EC57.)
func (m *ClassMatrix) SVEB() MatchResult { return m.ectopic('S', "NVFO") }

// ectopic counts class c: the row of c against its diagonal, and the
// column of c over the reference classes fp.
func (m *ClassMatrix) ectopic(c byte, fp string) MatchResult {
	k := idx(c)
	r := MatchResult{TP: m[k][k]}
	for j := range m[k] {
		if j != k {
			r.FN += m[k][j]
		}
	}
	for i := range len(fp) {
		r.FP += m[idx(fp[i])][k]
	}
	return r
}

// WriteText writes m as bxb draws its table (reference rows in capitals,
// test columns in lower case) and the QRS, VEB and SVEB sensitivity and
// positive predictivity with their counts, as bxb prints them.
func (m *ClassMatrix) WriteText(w io.Writer) error {
	var b strings.Builder
	b.WriteString("EC57 beat-by-beat comparison (rows: reference, columns: test; o: missed, O: extra)\n  ")
	for i := range ClassNames {
		fmt.Fprintf(&b, " %7s", strings.ToLower(ClassNames[i:i+1]))
	}
	b.WriteByte('\n')
	for i, row := range m {
		fmt.Fprintf(&b, "%c ", ClassNames[i])
		for j, v := range row {
			if i == classO && j == classO {
				break
			}
			fmt.Fprintf(&b, " %7d", v)
		}
		b.WriteByte('\n')
	}
	for _, s := range []struct {
		name string
		r    MatchResult
	}{{"QRS", m.QRS()}, {"VEB", m.VEB()}, {"SVEB", m.SVEB()}} {
		fmt.Fprintf(&b, "%5s sensitivity %s, positive predictivity %s\n", s.name,
			percentOf(s.r.TP, s.r.TP+s.r.FN), percentOf(s.r.TP, s.r.TP+s.r.FP))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// percentOf formats a/b as bxb does: "94.42% (795/842)", "- (0/0)".
func percentOf(a, b int) string {
	if b == 0 {
		return fmt.Sprintf("- (%d/%d)", a, b)
	}
	return fmt.Sprintf("%.2f%% (%d/%d)", pct(a, b), a, b)
}
