package defaultmodel

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/refdata"
	"github.com/ecgkit/ecg/spectro"
)

// The label map and the ecg spectro flags (IMAGE_STFT) of `make
// model-image` (Makefile): keep them the same.
var imageSpectro = []string{"--stride", "30s", "--nperseg", "64", "--noverlap", "48", "--nfft", "128", "--fmax", "40", "--size", "512x32"}

const imageLabelMap = "AB=Other,AFIB=AF,AFL=Other,B=Other,BII=Other,IVR=Other,NOD=Other,P=Other,PREX=Other,SBR=Other,SVTA=Other,T=Other,VFL=Other,VT=Other"

// TestConformanceImageModelReproducible rebuilds the embedded image
// network the way `make model-image` does and checks that it is byte for
// byte the embedded one.
func TestConformanceImageModelReproducible(t *testing.T) {
	if os.Getenv("ECG_CONFORMANCE") == "" {
		t.Skip("set ECG_CONFORMANCE=1 to rebuild the default image network")
	}
	db, cinc := refdata.MITDB(t), refdata.CinC2017(t)
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("go", append([]string{"run", "../../cmd/ecg"}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("ecg %v: %v\n%s", args, err, stderr.String())
		}
	}
	spectro := func(out string, args ...string) {
		t.Helper()
		run(append(append(append([]string{"spectro"}, args...), imageSpectro...), "--out", filepath.Join(dir, out), "--quiet")...)
	}
	spectro("cinc", filepath.Join(cinc, "records"), "--labels", filepath.Join(cinc, "REFERENCE.csv"),
		"--label-map", "A=AF,~=Noisy,O=Other", "--fill", "repeat")
	spectro("mitdb", db, "--label", "rhythm", "--signals", "MLII")
	// The data folder is named as in the Makefile: its name is recorded
	// in the model.
	images := filepath.Join(dir, "images")
	var manifest []byte
	for _, src := range []string{"cinc", "mitdb"} {
		linkImages(t, filepath.Join(dir, src), images)
		b, err := os.ReadFile(filepath.Join(dir, src, "manifest.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if manifest != nil { // one header line
			_, b, _ = bytes.Cut(b, []byte("\n"))
		}
		manifest = append(manifest, b...)
	}
	if err := os.WriteFile(filepath.Join(images, "manifest.csv"), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	sharedParams(t, filepath.Join(dir, "cinc"), filepath.Join(dir, "mitdb"), images)
	rebuilt := filepath.Join(dir, "image.model")
	run("train", images, "--label-map", imageLabelMap, "--learner", "cnn", "--cnn-arch", "temporal", "--cnn-norm", "group",
		"--image-size", "16x512", "--class-weight", "none", "--seed", "1", "--out", rebuilt, "--quiet")
	got, err := os.ReadFile(rebuilt)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, imageModel) {
		t.Fatalf("rebuilt image network (%d bytes) differs from the embedded one (%d bytes): run make model-image", len(got), len(imageModel))
	}
}

// linkImages hard-links the PNGs of the label folders of archive src
// into the same folders under dst (cp -Rl src/*/ dst/).
func linkImages(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".png" {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.Link(p, out)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sharedParams writes into dst the parameter file (spectro-params.json)
// of what the files of archives a and b share (the rendering and the
// stride, not the labels), as the Makefile's internal/sharedparams does.
func sharedParams(t *testing.T, a, b, dst string) {
	t.Helper()
	out, err := datasets.SharedParams([]string{filepath.Join(a, datasets.ParamsName), filepath.Join(b, datasets.ParamsName)},
		spectro.ParamSTFT, spectro.ParamImage)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, datasets.ParamsName), out, 0o644); err != nil {
		t.Fatal(err)
	}
}
