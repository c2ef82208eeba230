package classify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTreeModelVersions: a forest or gbdt body loads in the versions that
// may hold one (1 for a forest, 2, the versions Save writes for them) and
// is refused, by name, in the versions of networks and fused models: a
// forged version byte is not read as if it meant nothing.
func TestTreeModelVersions(t *testing.T) {
	for _, c := range []struct {
		file, kind  string
		ok, refused []uint32
	}{
		{"small.model", LearnerForest, []uint32{1, 2}, []uint32{3, 4, 6, 7, 8, 9, 11, 13}},
		{"small-gbdt.model", LearnerGBDT, []uint32{2}, []uint32{1, 3, 4, 6, 7, 8, 9, 11, 13}},
	} {
		b, err := os.ReadFile(filepath.Join("testdata", c.file))
		if err != nil {
			t.Fatal(err)
		}
		for v := uint32(modelVersion); v <= modelVersionNorm; v++ {
			d := bytes.Clone(b)
			binary.LittleEndian.PutUint32(d[len(modelMagic):], v)
			_, err := LoadModel(bytes.NewReader(withCRC(d)))
			want := fmt.Sprintf("learner %q in version %d (this program reads", c.kind, v)
			if v == modelVersion {
				want = fmt.Sprintf("learner %q (version 1 knows", c.kind)
			}
			// Versions 5, 10 and 12 hold tree bodies too, but also need
			// spectrogram settings, crops or the mains notch in the header.
			switch {
			case slices.Contains(c.ok, v) && err != nil:
				t.Errorf("%s as version %d: %v", c.file, v, err)
			case slices.Contains(c.refused, v) && (!errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), want)):
				t.Errorf("%s as version %d: %v, want an error with %q", c.file, v, err, want)
			case !slices.Contains(c.ok, v) && !slices.Contains(c.refused, v) && err != nil && strings.Contains(err.Error(), "learner"):
				t.Errorf("%s as version %d: %v, the body refused", c.file, v, err)
			}
		}
	}
}
