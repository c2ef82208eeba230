package main

import (
	"bytes"
	"context"
	"os"
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
	var text strings.Builder
	run := func(args []string, in string) {
		var out, errb bytes.Buffer
		s := &IOStreams{In: strings.NewReader(in), Out: &out, ErrOut: &errb, Environ: os.Getenv}
		if c := Run(context.Background(), args, s); c != 0 {
			b.Fatalf("ecg %s: exit %d: %s", strings.Join(args, " "), c, errb.String())
		}
		if args[0] == "simulate" {
			text.Write(out.Bytes())
		}
	}
	run([]string{"simulate", "--duration", "10m", "--fs", "360", "--seed", "5"}, "")
	stdin := text.String()
	b.ResetTimer()
	for range b.N {
		run([]string{"beats", db, "--summary", "--jobs", "1", "--quiet"}, "")
		run([]string{"spectro", filepath.Join(db, "100"), "--out", filepath.Join(dir, "s"), "--quiet"}, "")
		run([]string{"stream", "--fs", "360"}, stdin)
	}
}
