package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

// TestTrainImageSizeStream is the story of a long-window image model:
// ecg spectro with other STFT and image flags, ecg train --learner cnn
// --image-size on the archive, then ecg stream with the model: every
// window scores exactly as ecg predict scores the archive's PNG of the
// same span (the model carries the archive's spectrogram settings).
func TestTrainImageSizeStream(t *testing.T) {
	imageModelStream(t, "--image-size", "20x50")
}

// TestTrainTemporalStream is TestTrainImageSizeStream for the temporal
// network (--cnn-arch temporal: the image rows as channels), whose model
// ecg eval also scores.
func TestTrainTemporalStream(t *testing.T) {
	b, err := os.ReadFile(imageModelStream(t, "--image-size", "20x64", "--cnn-arch", "temporal"))
	if err != nil || !bytes.Contains(b, []byte(`"in":{"c":20,"h":1,"w":64}`)) || !bytes.Contains(b, []byte(`"one_d":true`)) {
		t.Errorf("the model is not a temporal network of 20 channels (%v)", err)
	}
}

// imageModelStream trains a cnn with the train flags args on a
// long-window archive of simulated records and checks that ecg stream
// scores each live window as ecg predict scores its PNG, and that ecg
// eval reads the model; it returns the model's path.
func imageModelStream(t *testing.T, args ...string) string {
	dir := t.TempDir()
	recs := simulateRhythms(t, dir)
	arch, model := filepath.Join(dir, "arch"), filepath.Join(dir, "m.ecgm")
	if code, _, errOut := runECG(t, "", "spectro", recs, "--label", "rhythm", "--stride", "10s", "--nperseg", "1024", "--noverlap", "896",
		"--fmax", "20", "--size", "96x64", "--out", arch, "--quiet"); code != 0 {
		t.Fatalf("spectro: %d %s", code, errOut)
	}
	if code, _, errOut := runECG(t, "", append([]string{"train", arch, "--learner", "cnn", "--epochs", "2", "--test", arch, "--out", model, "--quiet"}, args...)...); code != 0 {
		t.Fatalf("train: %d %s", code, errOut)
	}
	if code, out, errOut := runECG(t, "", "eval", model, arch); code != 0 || !strings.Contains(out, "accuracy") {
		t.Fatalf("eval: %d %s %s", code, out, errOut)
	}
	code, events, errOut := runECG(t, exportSamples(t, filepath.Join(recs, "r0")), "stream", "--model", model, "--fs", "300", "--window", "10s", "--hop", "10s")
	if code != 0 {
		t.Fatalf("stream: %d %s", code, errOut)
	}
	n := 0
	for _, line := range strings.Split(events, "\n") {
		var w struct {
			Type   string             `json:"type"`
			Start  int64              `json:"start"`
			Scores map[string]float64 `json:"scores"`
		}
		if json.Unmarshal([]byte(line), &w) != nil || w.Type != "window" {
			continue
		}
		png := filepath.Join(arch, "AFIB", fmt.Sprintf("r0_0000m%02ds_MLII.png", w.Start/300))
		code, out, errOut := runECG(t, "", "predict", model, png, "--top", "2", "--format", "json")
		var p struct {
			Top []struct {
				Label string
				Score float64
			}
		}
		if code != 0 || json.Unmarshal([]byte(out), &p) != nil || len(p.Top) != 2 {
			t.Fatalf("predict %s: %d %s %s", png, code, out, errOut)
		}
		for _, ls := range p.Top {
			if w.Scores[ls.Label] != ls.Score {
				t.Errorf("window at %d: live %v, PNG %v", w.Start, w.Scores, p.Top)
			}
		}
		n++
	}
	if n != 3 {
		t.Errorf("%d windows scored, want 3:\n%s", n, events)
	}
	return model
}

// simulateRhythms writes four simulated records of 30 s at 300 Hz,
// AF and normal in turn, as dir/recs/r0 to r3, and returns dir/recs.
func simulateRhythms(t *testing.T, dir string) string {
	t.Helper()
	recs := filepath.Join(dir, "recs")
	for i, rh := range []string{"afib", "normal", "afib", "normal"} {
		out := filepath.Join(recs, fmt.Sprintf("r%d", i))
		if code, _, errOut := runECG(t, "", "simulate", "--rhythm", rh, "--fs", "300", "--duration", "30s", "--seed", fmt.Sprint(i+1), "--out", out); code != 0 {
			t.Fatalf("simulate: %d %s", code, errOut)
		}
	}
	return recs
}

// exportSamples returns record rec's samples in mV as ecg export writes
// them, one value a line: the input of ecg stream --fs.
func exportSamples(t *testing.T, rec string) string {
	t.Helper()
	code, csv, _ := runECG(t, "", "export", rec, "--physical", "--format", "csv")
	if code != 0 {
		t.Fatalf("export: %d", code)
	}
	var samples strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(csv), "\n") {
		_, v, _ := strings.Cut(line, ",")
		samples.WriteString(v + "\n")
	}
	return samples.String()
}

// TestTrainImageSizeUsage: a size that is not ROWSxCOLS of 4 to 1024, one
// the network's pooling would empty, an image size for records or with
// --beats, is a usage error naming the flag.
func TestTrainImageSizeUsage(t *testing.T) {
	dir := t.TempDir()
	writeSynthFolders(t, filepath.Join(dir, "recs"), []string{"normal", "afib"}, 2, 1)
	imgs := filepath.Join(dir, "img")
	writeImageFolders(t, imgs)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{imgs, "--image-size", "32"}, "--image-size \"32\": want ROWSxCOLS"},
		{[]string{imgs, "--image-size", "3x64"}, "each 4 to 1024"},
		{[]string{imgs, "--image-size", "32x2000"}, "each 4 to 1024"},
		{[]string{imgs, "--image-size", "4x64", "--learner", "cnn"}, "--image-size 4x64: the network's 3 blocks of 2x2 pooling need images of at least 8 x 8"},
		{[]string{imgs, "--image-size", "200x200", "--learner", "cnn"}, "--image-size 200x200: image pixels"},
		{[]string{imgs, "--image-size", "65x64", "--cnn-arch", "temporal"}, "--image-size 65x64: the temporal network reads each image row as a channel: at most 64 rows"},
		{[]string{imgs, "--image-size", "16x8", "--cnn-arch", "temporal"}, "need images of at least 16 columns"},
		{[]string{imgs, "--cnn-arch", "lstm"}, "--cnn-arch lstm: want 2d or temporal"},
		{[]string{imgs, "--cnn-arch", "temporal", "--trees", "3"}, "--trees does not go with --learner cnn"},
		{[]string{filepath.Join(dir, "recs"), "--image-size", "32x64"}, "--image-size is for images"},
		{[]string{filepath.Join(dir, "recs", "normal"), "--beats", "--image-size", "32x64"}, "--image-size is for folders of images, not --beats"},
	} {
		code, _, errOut := runECG(t, "", append([]string{"train", "--out", filepath.Join(dir, "m")}, c.args...)...)
		if code != cmdutil.ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("train %v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	// Sizes that train; the default size given is the default model, byte
	// for byte.
	models := map[string][]byte{}
	for _, args := range [][]string{{"--image-size", "16x24"}, {"--image-size", "8x40", "--learner", "cnn", "--epochs", "1"},
		{"--trees", "3"}, {"--trees", "3", "--image-size", "32x64"}} {
		out := filepath.Join(dir, strings.Join(args, ""))
		if code, _, errOut := runECG(t, "", append([]string{"train", imgs, "--out", out, "--quiet"}, args...)...); code != 0 {
			t.Errorf("train %v: exit %d %s", args, code, errOut)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		models[strings.Join(args, " ")] = b
	}
	if !bytes.Equal(models["--trees 3"], models["--trees 3 --image-size 32x64"]) {
		t.Errorf("--image-size 32x64 (the forest's default) changed the model")
	}
}

// writeImageFolders writes 6 small PNGs in each of dir/low and dir/high
// (dark and bright noise), each its own record.
func writeImageFolders(t *testing.T, dir string) {
	t.Helper()
	for li, label := range []string{"low", "high"} {
		if err := os.MkdirAll(filepath.Join(dir, label), 0o755); err != nil {
			t.Fatal(err)
		}
		for r := 0; r < 6; r++ {
			img := image.NewGray(image.Rect(0, 0, 48, 24))
			for i := range img.Pix {
				img.Pix[i] = uint8(30 + 160*li + (i*7+r*13)%40)
			}
			var buf bytes.Buffer
			if err := png.Encode(&buf, img); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, label, fmt.Sprintf("%s%d_0.png", label, r)), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestTrainFromImageSize: --from a network of another input size than
// the default (a temporal network of 8x32) resizes the folder's images to
// the network's size when --image-size is not given, and refuses another
// size with a usage error naming both.
func TestTrainFromImageSize(t *testing.T) {
	dir := t.TempDir()
	imgs := filepath.Join(dir, "img")
	writeImageFolders(t, imgs)
	first, warm := filepath.Join(dir, "first.ecgm"), filepath.Join(dir, "warm.ecgm")
	if code, _, errOut := runECG(t, "", "train", imgs, "--cnn-arch", "temporal", "--image-size", "8x32", "--epochs", "1", "--out", first, "-q"); code != 0 {
		t.Fatalf("train: %d %s", code, errOut)
	}
	if code, _, errOut := runECG(t, "", "train", imgs, "--from", first, "--epochs", "1", "--out", warm, "-q"); code != 0 {
		t.Fatalf("train --from without --image-size: %d %s", code, errOut)
	}
	b, err := os.ReadFile(warm)
	if err != nil || !bytes.Contains(b, []byte(`"in":{"c":8,"h":1,"w":32}`)) || !bytes.Contains(b, []byte(`"from":`)) {
		t.Errorf("the warm model is not a temporal network of 8x32 started from the first (%v)", err)
	}
	code, _, errOut := runECG(t, "", "train", imgs, "--from", first, "--image-size", "16x32", "--out", warm)
	if want := "--image-size 16x32: the network of --from " + first + " reads 8x32 images"; code != cmdutil.ExitUsage || !strings.Contains(errOut, want) {
		t.Errorf("another --image-size: exit %d, %q; want 2 and %q", code, errOut, want)
	}
}

// TestTrainFromDefault: --from default fine-tunes the embedded temporal
// network, whose 16x512 input the folder's images are resized to; a
// folder whose parameter file records another rendering than the
// network's archive is trained on with a warning naming both.
func TestTrainFromDefault(t *testing.T) {
	dir := t.TempDir()
	imgs := filepath.Join(dir, "img")
	writeImageFolders(t, imgs)
	warm := filepath.Join(dir, "warm.ecgm")
	code, _, errOut := runECG(t, "", "train", imgs, "--from", "default", "--epochs", "1", "--out", warm, "-q")
	if code != 0 || strings.Contains(errOut, "warning") {
		t.Fatalf("train --from default: exit %d %q", code, errOut)
	}
	b, err := os.ReadFile(warm)
	if err != nil || !bytes.Contains(b, []byte(`"in":{"c":16,"h":1,"w":512}`)) || !bytes.Contains(b, []byte(`"from":"default`)) {
		t.Errorf("the warm model is not the temporal network of 16x512 started from the default one (%v)", err)
	}
	params := `{"stride_s": 60, "image": {"width": 224, "height": 224, "colormap": "gray", "db_min": -80, "db_max": -10},
  "stft_at_360hz": {"window": "hann", "nperseg": 256, "noverlap": 128, "nfft": 256, "detrend": "constant",
    "scaling": "density", "mode": "psd", "fmin": 0.5, "fmax": 40}}`
	if err := os.WriteFile(filepath.Join(imgs, "spectro-params.json"), []byte(params), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runECG(t, "", "train", imgs, "--from", "default", "--epochs", "1", "--out", warm, "-q")
	if want := "ecg train: warning: --from default: "; code != 0 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "nperseg 64") {
		t.Errorf("train --from default on other renderings: exit %d, %q; want 0 and %q naming the network's", code, errOut, want)
	}
}
