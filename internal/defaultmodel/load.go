package defaultmodel

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/ecgkit/ecg/classify"
)

// Load loads the model a --model value names: the embedded rhythm model
// for Name, else the model file at path. Errors name the file.
func Load(path string) (*classify.Model, error) {
	return load(path, model, "embedded default model")
}

// LoadBeats loads the model a --classify value names: the embedded beat
// model for Name, else the model file at path.
func LoadBeats(path string) (*classify.Model, error) {
	return load(path, beatModel, "embedded default beat model")
}

func load(path string, embedded []byte, what string) (*classify.Model, error) {
	if path == Name {
		m, err := classify.LoadModel(bytes.NewReader(embedded))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		return m, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := classify.LoadModel(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// IsModel reports whether a command-line argument names a model: Name, a
// name ending in .ecgm or .model, or a file that starts like a model file.
func IsModel(arg string) bool {
	if arg == Name || strings.HasSuffix(arg, ".ecgm") || strings.HasSuffix(arg, ".model") {
		return true
	}
	f, err := os.Open(arg)
	if err != nil {
		return false
	}
	defer f.Close()
	return classify.IsModelFile(f)
}
