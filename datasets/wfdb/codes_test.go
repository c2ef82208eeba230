package wfdb

import (
	"strings"
	"testing"
)

func TestCodeSymbols(t *testing.T) {
	// The mnemonics of codes 0..49 as rdann prints them (WFDB 10.7.0).
	want := strings.Fields(`_ N L R a V F J A S E j / Q ~ [15] | [17] s T * D " = p B ^ t + u ? ! [ ] e n @ x f ( ) r [42] [43] [44] [45] [46] [47] [48] [49]`)
	want[0] = " "
	for c := Code(0); c <= MaxFileCode; c++ {
		sym := c.Symbol()
		if c <= MaxStdCode && sym != want[c] {
			t.Errorf("code %d: symbol %q, want %q", c, sym, want[c])
		}
		if c > MaxStdCode && sym != "["+itoaTest(int(c))+"]" {
			t.Errorf("code %d: symbol %q", c, sym)
		}
		back, ok := CodeOf(sym)
		if !ok || back != c {
			t.Errorf("CodeOf(%q) = %d, %v; want %d", sym, back, ok, c)
		}
	}
	for _, bad := range []string{"", "NN", "[59]", "[07]", "[x]", "[-1]"} {
		if c, ok := CodeOf(bad); ok {
			t.Errorf("CodeOf(%q) = %d, want not found", bad, c)
		}
	}
	if Normal.Description() != "Normal beat" || Rhythm.Description() != "Rhythm change" || Code(15).Description() != "" {
		t.Error("descriptions")
	}
}

func itoaTest(i int) string { return string(appendPad(nil, int64(i), 1, ' ')) }

func TestIsBeatAndAAMI(t *testing.T) {
	beats := "NLRaVFJASEj/QB?!enfr" // WFDB isqrs
	classes := map[byte]string{'N': "NLRejBn", 'S': "AaJS", 'V': "VEr!", 'F': "F", 'Q': "/fQ?"}
	for c := Code(0); c <= MaxFileCode; c++ {
		sym := c.Symbol()
		isBeat := len(sym) == 1 && sym != " " && strings.Contains(beats, sym)
		if c.IsBeat() != isBeat {
			t.Errorf("%q IsBeat = %v", sym, c.IsBeat())
		}
		var want byte
		for cls, syms := range classes {
			if len(sym) == 1 && sym != " " && strings.Contains(syms, sym) {
				want = cls
			}
		}
		if c.AAMI() != want {
			t.Errorf("%q AAMI = %q, want %q", sym, c.AAMI(), want)
		}
		if (want != 0) != isBeat {
			t.Errorf("%q: beat %v but AAMI class %q", sym, isBeat, want)
		}
	}
}
