package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/imgcmp"
)

// Tolerances of the PNG goldens. A raw spectrogram is numbers turned into
// gray levels: a step of rounding in a few pixels at most. A figure is
// drawn with fonts and anti-aliased lines, which move by a few steps when
// gonum/plot or its rasteriser change, but a moved trace or axis changes
// far more than 0.05% of the pixels (456 of 1200x760).
var (
	rawPNGTolerance    = imgcmp.Tolerance{Channel: 1, Pixels: 0.001}
	figurePNGTolerance = imgcmp.Tolerance{Channel: 16, Pixels: 0.0005}
)

// goldenSpectroCases run "ecg spectro" in the folder of goldenFixtures;
// testdata/golden/NAME.txt keeps stdout and testdata/golden/NAME/ every
// file written into --out NAME: PNGs compared as pixels (imgcmp), the
// others (manifest, parameters, spectrogram CSV, WFDB windows) byte for
// byte.
var goldenSpectroCases = []struct {
	name string
	args []string
}{
	// One 10 s stride of a simulated AF record: the raw PNG, the figure,
	// the matrix as CSV and the window as a WFDB record.
	{"spectro-stride", []string{"spectro", "spectro/short", "--stride", "10s", "--figure", "--dump-csv", "--write", "both"}},
	// A rhythm archive of the three records, small viridis images.
	{"spectro-rhythm", []string{"spectro", "sim", "--stride", "10s", "--hop", "5s", "--label", "rhythm", "--size", "32", "--colormap", "viridis"}},
	// A beat archive (AAMI classes) of the PVC record.
	{"spectro-aami", []string{"spectro", "sim/pvc", "--label", "aami", "--size", "16"}},
}

// TestGoldenSpectro checks spectro's images, manifests and summaries
// against testdata/golden (-update rewrites them).
func TestGoldenSpectro(t *testing.T) {
	golden, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	dir := goldenFixtures(t)
	t.Chdir(dir)
	code, _, errOut := runECG(t, "", "-q", "simulate", "--rhythm", "afib", "--duration", "10s",
		"--fs", "250", "--seed", "11", "--out", "spectro/short")
	if code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errOut)
	}
	for _, c := range goldenSpectroCases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"-q"}, c.args...)
			code, out, errOut := runECG(t, "", append(args, "--out", c.name)...)
			if code != 0 {
				t.Fatalf("ecg %s: exit %d: %s", strings.Join(c.args, " "), code, errOut)
			}
			checkGolden(t, filepath.Join(golden, c.name+".txt"), []byte(out))
			checkGoldenDir(t, filepath.Join(golden, c.name), c.name)
		})
	}
}

// checkGoldenDir compares the files under dir with those under the golden
// folder: the same names, PNGs equal as pixels within their tolerance,
// other files equal byte for byte. With -update it replaces the golden
// folder by a copy of dir.
func checkGoldenDir(t *testing.T, golden, dir string) {
	t.Helper()
	got := listFiles(t, dir)
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(golden, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := listFiles(t, golden); !slices.Equal(got, want) {
		t.Fatalf("%s holds %q, want %q (-update rewrites the goldens)", dir, got, want)
	}
	for _, name := range got {
		g, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		w, err := os.ReadFile(filepath.Join(golden, name))
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasSuffix(name, "_figure.png"):
			err = imgcmp.ComparePNG(g, w, figurePNGTolerance)
		case strings.HasSuffix(name, ".png"):
			err = imgcmp.ComparePNG(g, w, rawPNGTolerance)
		case !bytes.Equal(g, w):
			t.Errorf("%s/%s differs from the golden:\n%s", dir, name, firstDiff(w, g))
		}
		if err != nil {
			t.Errorf("%s/%s: %v", dir, name, err)
		}
	}
}

// listFiles returns the paths of the files under dir, relative to it,
// sorted.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := fs.WalkDir(os.DirFS(dir), ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	return names
}
