package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestPredictDefaultModel(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "af")
	if code, _, errOut := runECG(t, "", "simulate", "--rhythm", "normal", "--duration", "60s", "--out", rec); code != 0 {
		t.Fatalf("simulate: %s", errOut)
	}
	// No model argument: the embedded rhythm model labels the record.
	code, out, errOut := runECG(t, "", "predict", rec, "--format", "json")
	if code != 0 {
		t.Fatalf("predict with the default model: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"label":"N"`) {
		t.Fatalf("simulated sinus rhythm not labelled N by the default model: %s", out)
	}
	// "default" names it explicitly, as the first argument or with --model.
	for _, args := range [][]string{{"predict", "default", rec}, {"predict", "--model", "default", rec}} {
		if code, out2, errOut := runECG(t, "", args...); code != 0 || !strings.Contains(out2, ",N,") {
			t.Fatalf("%v: exit %d, out %q, err %q", args, code, out2, errOut)
		}
	}
}
