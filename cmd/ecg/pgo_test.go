package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// BenchmarkPGOWorkload is the workload whose CPU profile is
// cmd/ecg/default.pgo (`make pgo`), which go build uses for
// profile-guided optimisation: ecg beats over the MIT-BIH records (the
// hot path of detection, reading and HRV), ecg spectro on one record and
// ten minutes of ecg stream with the embedded model.
func BenchmarkPGOWorkload(b *testing.B) {
	db := refdata.MITDB(b)
	dir := b.TempDir()
	run := func(stdin string, args ...string) string {
		code, out, errOut := runECG(b, stdin, args...)
		if code != 0 {
			b.Fatalf("ecg %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return out
	}
	stdin := run("", "simulate", "--duration", "10m", "--fs", "360", "--seed", "5")
	b.ResetTimer()
	for range b.N {
		run("", "beats", db, "--summary", "--jobs", "1", "--quiet")
		run("", "spectro", filepath.Join(db, "100"), "--out", filepath.Join(dir, "s"), "--quiet")
		run(stdin, "stream", "--fs", "360")
	}
}
