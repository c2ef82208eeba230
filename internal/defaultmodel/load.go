package defaultmodel

import (
	"fmt"
	"os"
	"strings"

	"github.com/ecgkit/ecg/classify"
)

// Load loads the model a --model value names: the embedded model for Name,
// else the model file at path. Errors name the file.
func Load(path string) (*classify.Model, error) {
	if path == Name {
		m, err := classify.LoadModel(Open())
		if err != nil {
			return nil, fmt.Errorf("embedded default model: %w", err)
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
