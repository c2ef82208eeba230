package classify

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ecgkit/ecg/classify/nn"
)

// A network whose global pooling is not the average is written as
// version 7, which an older ecg refuses: a "max" network has as many
// parameters as an average one, so a reader that ignored the setting
// would score it silently wrong. The setting in another version, or
// version 7 without it, is refused; the average network stays version 3.
func TestGlobalPoolVersion(t *testing.T) {
	X, y, groups := cnnRows(16, 1)
	train := func(pool string) []byte {
		withTemporalArch(t, nil, pool)
		m, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
			CNN: CNNOptions{Arch: CNNArchTemporal, Epochs: 1, Batch: 8, Filters: []int{2}, Hidden: 2, Seed: 1}})
		if err != nil {
			t.Fatal(err)
		}
		return saved(t, m)
	}
	avg, mx := train(""), train(nn.GlobalMax)
	if avg[len(modelMagic)] != modelVersionCNN || mx[len(modelMagic)] != modelVersionPool {
		t.Fatalf("versions %d (average) and %d (max)", avg[len(modelMagic)], mx[len(modelMagic)])
	}
	m, err := LoadModel(bytes.NewReader(mx))
	if err != nil {
		t.Fatal(err)
	}
	if m.cnn.Net.Arch.GlobalPool != nn.GlobalMax || !bytes.Equal(saved(t, m), mx) {
		t.Errorf("reloaded: pooling %q, same bytes %v", m.cnn.Net.Arch.GlobalPool, bytes.Equal(saved(t, m), mx))
	}
	old, bare := bytes.Clone(mx), bytes.Clone(avg)
	old[len(modelMagic)] = modelVersionCNN
	bare[len(modelMagic)] = modelVersionPool
	for name, b := range map[string][]byte{"max in version 3": withCRC(old), "average in version 7": withCRC(bare)} {
		if _, err := LoadModel(bytes.NewReader(b)); !errors.Is(err, ErrModelFormat) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
