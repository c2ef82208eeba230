package wfdb

import "strconv"

// Code is an MIT annotation type ("anntyp" in the WFDB library): 0..49 are
// the standard codes of <wfdb/ecgcodes.h> (42..49 are left to users), and
// 50..58 may occur in files although WFDB gives them no mnemonic. Values 59
// to 63 are the pseudo-annotations of the file format (SKIP, NUM, SUB,
// CHAN, AUX) and are never a Code of an Annotation.
type Code uint8

// The standard annotation codes, with the names and values of WFDB's
// <wfdb/ecgcodes.h>. The mnemonic printed by rdann is in the comment.
const (
	NotQRS      Code = 0  // " " not-QRS (written with a SKIP, never a zero word)
	Normal      Code = 1  // N normal beat
	LBBB        Code = 2  // L left bundle branch block beat
	RBBB        Code = 3  // R right bundle branch block beat
	Aberr       Code = 4  // a aberrated atrial premature beat
	PVC         Code = 5  // V premature ventricular contraction
	Fusion      Code = 6  // F fusion of ventricular and normal beat
	NPC         Code = 7  // J nodal (junctional) premature beat
	APC         Code = 8  // A atrial premature contraction
	SVPB        Code = 9  // S premature or ectopic supraventricular beat
	VEsc        Code = 10 // E ventricular escape beat
	NEsc        Code = 11 // j nodal (junctional) escape beat
	Pace        Code = 12 // / paced beat
	Unknown     Code = 13 // Q unclassifiable beat
	Noise       Code = 14 // ~ signal quality change
	Arfct       Code = 16 // | isolated QRS-like artifact
	STCh        Code = 18 // s ST change
	TCh         Code = 19 // T T-wave change
	Systole     Code = 20 // * systole
	Diastole    Code = 21 // D diastole
	Note        Code = 22 // " comment annotation
	Measure     Code = 23 // = measurement annotation
	PWave       Code = 24 // p P-wave peak
	BBB         Code = 25 // B left or right bundle branch block
	PaceSP      Code = 26 // ^ non-conducted pacer spike
	TWave       Code = 27 // t T-wave peak
	Rhythm      Code = 28 // + rhythm change (the rhythm is in Aux: "(N", "(AFIB", ...)
	UWave       Code = 29 // u U-wave peak
	Learn       Code = 30 // ? learning
	FlWav       Code = 31 // ! ventricular flutter wave
	VFOn        Code = 32 // [ start of ventricular flutter/fibrillation
	VFOff       Code = 33 // ] end of ventricular flutter/fibrillation
	AEsc        Code = 34 // e atrial escape beat
	SVEsc       Code = 35 // n supraventricular escape beat
	Link        Code = 36 // @ link to external data (Aux holds a URL)
	NAPC        Code = 37 // x non-conducted P-wave (blocked APB)
	PFus        Code = 38 // f fusion of paced and normal beat
	WFOn        Code = 39 // ( waveform onset
	WFOff       Code = 40 // ) waveform end
	RonT        Code = 41 // r R-on-T premature ventricular contraction
	MaxStdCode  Code = 49 // ACMAX: the largest code with a WFDB mnemonic slot
	MaxFileCode Code = 58 // the largest code an MIT annotation word can carry
)

// symbols are the default WFDB mnemonics (the library's astring table).
var symbols = [MaxStdCode + 1]string{
	" ", "N", "L", "R", "a", "V", "F", "J", "A", "S",
	"E", "j", "/", "Q", "~", "[15]", "|", "[17]", "s", "T",
	"*", "D", "\"", "=", "p", "B", "^", "t", "+", "u",
	"?", "!", "[", "]", "e", "n", "@", "x", "f", "(",
	")", "r", "[42]", "[43]", "[44]", "[45]", "[46]", "[47]", "[48]", "[49]",
}

// descriptions are WFDB's descriptive strings (anndesc); "" where WFDB has none.
var descriptions = [MaxStdCode + 1]string{
	"",
	"Normal beat",
	"Left bundle branch block beat",
	"Right bundle branch block beat",
	"Aberrated atrial premature beat",
	"Premature ventricular contraction",
	"Fusion of ventricular and normal beat",
	"Nodal (junctional) premature beat",
	"Atrial premature beat",
	"Supraventricular premature or ectopic beat",
	"Ventricular escape beat",
	"Nodal (junctional) escape beat",
	"Paced beat",
	"Unclassifiable beat",
	"Change in signal quality",
	"",
	"Isolated QRS-like artifact",
	"",
	"ST segment change",
	"T-wave change",
	"Systole",
	"Diastole",
	"Comment annotation",
	"Measurement annotation",
	"P-wave peak",
	"Bundle branch block beat (unspecified)",
	"(Non-captured) pacemaker artifact",
	"T-wave peak",
	"Rhythm change",
	"U-wave peak",
	"Beat not classified during learning",
	"Ventricular flutter wave",
	"Start of ventricular flutter/fibrillation",
	"End of ventricular flutter/fibrillation",
	"Atrial escape beat",
	"Supraventricular escape beat",
	"Link to external data (aux contains URL)",
	"Non-conducted P-wave (blocked APC)",
	"Fusion of paced and normal beat",
	"Waveform onset",
	"Waveform end",
	"R-on-T premature ventricular contraction",
}

// isQRS is WFDB's isqrs table (<wfdb/ecgmap.h>): 1 where the code denotes a
// QRS complex.
var isQRS = [MaxStdCode + 1]bool{
	1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true,
	10: true, 11: true, 12: true, 13: true,
	25: true, 30: true, 31: true, 34: true, 35: true, 38: true, 41: true,
}

// aami maps beat codes to the ANSI/AAMI EC57 classes.
var aami = [MaxStdCode + 1]byte{
	// EC57 table: N = N L R e j; S = A a J S; V = V E; F = F; Q = / f Q.
	Normal: 'N', LBBB: 'N', RBBB: 'N', AEsc: 'N', NEsc: 'N',
	APC: 'S', Aberr: 'S', NPC: 'S', SVPB: 'S',
	PVC: 'V', VEsc: 'V',
	Fusion: 'F',
	Pace:   'Q', PFus: 'Q', Unknown: 'Q',
	// Beats EC57 does not list, classed as bxb's map2 table does:
	// B and n are normal, r and ! ventricular, ? unclassified.
	BBB: 'N', SVEsc: 'N', RonT: 'V', FlWav: 'V', Learn: 'Q',
}

// Symbol returns the mnemonic rdann prints for c: "N", "V", "+", ...;
// " " for NotQRS and "[n]" for codes without a mnemonic (15, 17, 42..58).
func (c Code) Symbol() string {
	if c <= MaxStdCode {
		return symbols[c]
	}
	return "[" + strconv.Itoa(int(c)) + "]"
}

// String returns c.Symbol().
func (c Code) String() string { return c.Symbol() }

// Description returns WFDB's description of c ("Normal beat"), or "" when
// WFDB has none.
func (c Code) Description() string {
	if c <= MaxStdCode {
		return descriptions[c]
	}
	return ""
}

// IsBeat reports whether c denotes a QRS complex, as WFDB's isqrs macro:
// N L R a V F J A S E j / Q B ? ! e n f r.
func (c Code) IsBeat() bool { return c <= MaxStdCode && isQRS[c] }

// AAMI returns the ANSI/AAMI EC57 beat class of c: 'N' (N L R e j), 'S'
// (A a J S), 'V' (V E), 'F' (F) or 'Q' (/ f Q), and 0 for codes that are
// not beats. The beats EC57 does not list follow WFDB bxb's map2 table:
// B and n are 'N', r and ! are 'V', ? is 'Q'.
func (c Code) AAMI() byte {
	if c <= MaxStdCode {
		return aami[c]
	}
	return 0
}

// CodeOf returns the code whose mnemonic is symbol ("N" -> Normal), as
// WFDB's strann does for codes 1..49. The bracketed form "[n]" is accepted
// for every code 0..58, so that any Symbol() reads back.
func CodeOf(symbol string) (Code, bool) {
	for c := Code(1); c <= MaxStdCode; c++ {
		if symbols[c] == symbol {
			return c, true
		}
	}
	if symbol == " " {
		return NotQRS, true
	}
	if n := len(symbol); n >= 3 && symbol[0] == '[' && symbol[n-1] == ']' {
		v, err := strconv.Atoi(symbol[1 : n-1])
		if err == nil && v >= 0 && v <= int(MaxFileCode) && strconv.Itoa(v) == symbol[1:n-1] {
			return Code(v), true
		}
	}
	return 0, false
}
