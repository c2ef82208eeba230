package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/internal/defaultmodel"
)

// loadModel loads a model file, or the model embedded in the binary when
// path is "default".
func loadModel(path string) (*classify.Model, error) {
	if path == defaultmodel.Name {
		m, err := classify.LoadModel(defaultmodel.Open())
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

// looksLikeModel reports whether an argument names a model: "default", a
// name ending in .ecgm or .model, or a file that starts like a model file.
func looksLikeModel(arg string) bool {
	if arg == defaultmodel.Name || strings.HasSuffix(arg, ".ecgm") || strings.HasSuffix(arg, ".model") {
		return true
	}
	f, err := os.Open(arg)
	if err != nil {
		return false
	}
	defer f.Close()
	return classify.IsModelFile(f)
}
