// Package demodata holds the data embedded in the ecg binary for `ecg demo`:
// excerpts of four MIT-BIH Arrhythmia Database records with their reference
// annotations, cut by gen.go.
//
// Source: PhysioNet mitdb 1.0.0, Open Data Commons Attribution License v1.0.
// Moody GB, Mark RG. The impact of the MIT-BIH Arrhythmia Database. IEEE Eng
// in Med and Biol 20(3):45-50 (2001). Goldberger AL et al. PhysioBank,
// PhysioToolkit, and PhysioNet. Circulation 101(23):e215-e220 (2000).
package demodata

import (
	"embed"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ecgkit/ecg/internal/atomicfile"
)

//go:embed mitdb/*.hea mitdb/*.dat mitdb/*.atr
var files embed.FS

// Records lists the embedded record names.
func Records() []string {
	ents, _ := fs.ReadDir(files, "mitdb")
	var out []string
	for _, e := range ents {
		if name, ok := strings.CutSuffix(e.Name(), ".hea"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Extract writes the embedded records into dir (created if needed), with a
// RECORDS file, and returns the record paths (without extension).
func Extract(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ents, err := fs.ReadDir(files, "mitdb")
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		b, err := files.ReadFile("mitdb/" + e.Name())
		if err != nil {
			return nil, err
		}
		if err := atomicfile.WriteFile(filepath.Join(dir, e.Name()), func(w io.Writer) error {
			_, err := w.Write(b)
			return err
		}); err != nil {
			return nil, err
		}
	}
	names := Records()
	if err := atomicfile.WriteFile(filepath.Join(dir, "RECORDS"), func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Join(names, "\n")+"\n")
		return err
	}); err != nil {
		return nil, err
	}
	paths := make([]string, len(names))
	for i, n := range names {
		paths[i] = filepath.Join(dir, n)
	}
	return paths, nil
}
