package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

func TestInfoExcerpt(t *testing.T) {
	code, out, errOut := runECG(t, "", "info", excerpt+".hea")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Record 100s", "Length: 0:10.000 (3600 sample intervals)", "Sampling frequency: 360 Hz",
		"Signal 1: V5", "Checksum: -17352, ok", "Checksum: 1171, ok", "Annotations (atr):"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = runECG(t, "", "info", excerpt, "--format", "json", "--annotator", "")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var info struct {
		Name        string  `json:"name"`
		Frames      int64   `json:"frames"`
		Fs          float64 `json:"fs"`
		ChecksumsOK bool    `json:"checksums_ok"`
		Signals     []struct {
			Description    string `json:"description"`
			ChecksumStatus string `json:"checksum_status"`
		} `json:"signals"`
		Annotations any `json:"annotations"`
	}
	if err := json.Unmarshal([]byte(out), &info); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if info.Name != "100s" || info.Frames != 3600 || info.Fs != 360 || !info.ChecksumsOK || len(info.Signals) != 2 ||
		info.Signals[0].Description != "MLII" || info.Signals[0].ChecksumStatus != "ok" || info.Annotations != nil {
		t.Fatalf("json: %+v", info)
	}
}

func TestInfoErrors(t *testing.T) {
	code, _, errOut := runECG(t, "", "info", "no/such/record")
	if code != cmdutil.ExitError || !strings.Contains(errOut, "no/such/record.hea") {
		t.Errorf("missing record: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runECG(t, "", "info", excerpt, "no/such/record")
	if code != cmdutil.ExitPartial {
		t.Errorf("one of two missing: exit %d, stderr %q", code, errOut)
	}
	code, _, _ = runECG(t, "", "info", excerpt, "--format", "xml")
	if code != cmdutil.ExitUsage {
		t.Errorf("bad format: exit %d", code)
	}
}

func TestInfoMitdbFast(t *testing.T) {
	dir := mitdbDir(t)
	code, out, errOut := runECG(t, "", "info", dir, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 48 {
		t.Fatalf("%d records described", len(lines))
	}
	for _, l := range lines {
		if !strings.Contains(l, `"checksums_ok":true`) {
			t.Errorf("checksum problem: %.200s", l)
		}
	}
}
