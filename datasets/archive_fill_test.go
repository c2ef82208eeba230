package datasets

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// captured is what a window handed a renderer held.
type captured struct {
	span      Span
	x         []float64
	lead      []float64 // Context before X
	xInCtx    bool      // X is Context[Span.Start-ContextStart:][:len(X)]
	beats     int
	rowLength int64 // the manifest row's End-Start
}

// captureOutput returns an Output that keeps a copy of every window's
// samples by name, and the map it fills.
func captureOutput() (Output, map[string]captured) {
	var mu sync.Mutex
	got := map[string]captured{}
	return Output{Suffix: ".txt", Write: func(w io.Writer, win *Window) error {
		off := win.Span.Start - win.ContextStart
		c := captured{span: win.Span, x: slices.Clone(win.X), lead: slices.Clone(win.Context[:off]),
			beats: len(win.Beats), rowLength: win.Row.End - win.Row.Start}
		c.xInCtx = off+int64(len(win.X)) <= int64(len(win.Context)) && slices.Equal(win.Context[off:off+int64(len(win.X))], win.X)
		mu.Lock()
		got[win.Name] = c
		mu.Unlock()
		_, err := io.WriteString(w, win.Name)
		return err
	}}, got
}

// physical returns signal 0 of a test record in physical units.
func physical(t *testing.T, path string) []float64 {
	t.Helper()
	rec, err := wfdb.ReadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Physical(0)
}

// A record shorter than the stride gives one window with FillRepeat
// (none without it): its samples are the record's, repeated end to end
// and cut at exactly the stride's length; its span and beats are the
// record's own, counted once.
func TestArchiveFillShortRecord(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "s13", 13) // 1300 samples: 2 whole copies and 400 in 3000
	rec := filepath.Join(db, "s13")
	out, got := captureOutput()
	opt := ArchiveOptions{Out: t.TempDir(), Stride: 30, Signals: []string{"MLII"}, Outputs: []Output{out}}
	res, err := Archive(context.Background(), []string{rec}, opt)
	if err != nil || res.Windows != 0 || res.ShortRecords != 1 {
		t.Fatalf("without fill: %+v, %v", res, err)
	}
	opt.Fill, opt.Out = FillRepeat, t.TempDir()
	if res, err = Archive(context.Background(), []string{rec}, opt); err != nil || res.Windows != 1 || res.ShortRecords != 0 || len(res.Failed) != 0 {
		t.Fatalf("fill repeat: %+v, %v", res, err)
	}
	c, ok := got["s13_0000m00s_MLII"]
	if !ok {
		t.Fatalf("windows %v", got)
	}
	x := physical(t, rec)
	if len(c.x) != 3000 || c.span != (Span{Start: 0, End: 1300}) || c.rowLength != 1300 || !c.xInCtx {
		t.Fatalf("filled window: %d samples, span %+v, row length %d, X in Context %v", len(c.x), c.span, c.rowLength, c.xInCtx)
	}
	for i, v := range c.x {
		if v != x[i%1300] {
			t.Fatalf("sample %d: %g, want the record's sample %d, %g", i, v, i%1300, x[i%1300])
		}
	}
	rows, err := ReadManifestFile(filepath.Join(opt.Out, ManifestName))
	if err != nil || len(rows) != 1 || rows[0].Start != 0 || rows[0].End != 1300 || rows[0].Beats != 13 || c.beats != 13 {
		t.Fatalf("manifest %+v (%v); window beats %d: want the record's span and its 13 beats once", rows, err, c.beats)
	}
	b, _ := os.ReadFile(filepath.Join(opt.Out, ParamsName))
	if !strings.Contains(string(b), `"fill": "repeat"`) {
		t.Fatalf("parameters without the fill:\n%s", b)
	}
}

// Full strides are the same with and without FillRepeat; the last
// partial stride is dropped in both unless KeepPartial, and then filled
// only with FillRepeat, after a lead-in of the samples before it.
func TestArchiveFillPartialStride(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "r65", 65)
	rec := filepath.Join(db, "r65")
	x := physical(t, rec)
	run := func(fill FillMode, keep bool) map[string]captured {
		t.Helper()
		out, got := captureOutput()
		opt := ArchiveOptions{Out: t.TempDir(), Stride: 30, Fill: fill, KeepPartial: keep, Signals: []string{"MLII"}, Outputs: []Output{out}}
		if res, err := Archive(context.Background(), []string{rec}, opt); err != nil || len(res.Failed) != 0 {
			t.Fatalf("fill %q keep %v: %+v, %v", fill, keep, res, err)
		}
		return got
	}
	none, repeat := run(FillNone, false), run(FillRepeat, false)
	if len(none) != 2 || len(repeat) != 2 {
		t.Fatalf("without --keep-partial: %d and %d windows, want the 2 full strides", len(none), len(repeat))
	}
	for name, c := range none {
		if r := repeat[name]; !slices.Equal(r.x, c.x) || r.span != c.span || !slices.Equal(r.lead, c.lead) {
			t.Fatalf("%s: a full stride changed with fill repeat", name)
		}
	}
	keepNone, keepRepeat := run(FillNone, true), run(FillRepeat, true)
	p, f := keepNone["r65_0001m00s_MLII"], keepRepeat["r65_0001m00s_MLII"]
	if len(keepNone) != 3 || len(keepRepeat) != 3 || len(p.x) != 500 || len(f.x) != 3000 {
		t.Fatalf("with --keep-partial: %d and %d windows, partial stride %d and %d samples", len(keepNone), len(keepRepeat), len(p.x), len(f.x))
	}
	for i, v := range f.x {
		if v != x[6000+i%500] {
			t.Fatalf("filled sample %d: %g, want %g", i, v, x[6000+i%500])
		}
	}
	if !f.xInCtx || f.span != (Span{Start: 6000, End: 6500}) || f.beats != 5 || f.rowLength != 500 || !slices.Equal(f.lead, x[5500:6000]) {
		t.Fatalf("filled partial stride: span %+v, %d beats, row length %d, X in Context %v, lead-in %d samples",
			f.span, f.beats, f.rowLength, f.xInCtx, len(f.lead))
	}
}

// FillNone and the zero Fill are the same archive, parameter file
// included, and it has no fill key (earlier archives resume); a resume
// with another fill is refused.
func TestArchiveFillParams(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "r35", 35)
	recs := []string{filepath.Join(db, "r35")}
	out := t.TempDir()
	opt := ArchiveOptions{Out: out, Stride: 30, KeepPartial: true, Outputs: []Output{textOutput}}
	if _, err := Archive(context.Background(), recs, opt); err != nil {
		t.Fatal(err)
	}
	zero, _ := os.ReadFile(filepath.Join(out, ParamsName))
	opt.Fill = FillNone
	if res, err := Archive(context.Background(), recs, opt); err != nil || res.Existing != 4 {
		t.Fatalf("FillNone did not resume the zero Fill's archive: %+v, %v", res, err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, ParamsName)); string(b) != string(zero) || strings.Contains(string(b), "fill") {
		t.Fatalf("parameters %s, want %s without fill", b, zero)
	}
	var pe *ParamsError
	opt.Fill = FillRepeat
	if _, err := Archive(context.Background(), recs, opt); !errors.As(err, &pe) {
		t.Fatalf("resume with fill repeat: %v, want a *ParamsError", err)
	}
	opt.Out = t.TempDir()
	if _, err := Archive(context.Background(), recs, opt); err != nil {
		t.Fatal(err)
	}
	opt.Fill = FillNone
	if _, err := Archive(context.Background(), recs, opt); !errors.As(err, &pe) {
		t.Fatalf("resume of a fill repeat archive without it: %v, want a *ParamsError", err)
	}
}

// Bad fills are errors before any work; a record with fewer samples than
// MinSamples is skipped as without fill; a stride longer than a filled
// window may hold fails the record rather than allocating it.
func TestArchiveFillLimits(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "r2", 2)
	recs := []string{filepath.Join(db, "r2")}
	for _, opt := range []ArchiveOptions{
		{Fill: "tile"},
		{Fill: FillRepeat, WholeRecord: true},
		{Fill: FillRepeat, Label: LabelAAMI},
	} {
		opt.Out, opt.Outputs = filepath.Join(t.TempDir(), "x"), []Output{textOutput}
		if _, err := Archive(context.Background(), recs, opt); err == nil || !strings.Contains(err.Error(), "fill") {
			t.Fatalf("%+v: %v, want an error about the fill", opt, err)
		} else if _, err := os.Stat(opt.Out); err == nil {
			t.Fatalf("%+v: %s made", opt, opt.Out)
		}
	}
	opt := ArchiveOptions{Out: t.TempDir(), Stride: 30, Fill: FillRepeat, Outputs: []Output{textOutput},
		MinSamples: func(float64) int64 { return 256 }}
	res, err := Archive(context.Background(), recs, opt)
	if err != nil || res.Windows != 0 || res.SkippedShort != 2 || res.ShortRecords != 1 {
		t.Fatalf("200 samples, nperseg 256: %+v, %v", res, err)
	}
	opt.MinSamples, opt.ChunkFrames = nil, 2999
	res, err = Archive(context.Background(), recs, opt)
	if err != nil || res.Windows != 0 || len(res.Failed) != 1 || !strings.Contains(res.Failed[0].Error(), "3000 samples") {
		t.Fatalf("a stride of 3000 samples over a 2999-sample bound: %+v, %v", res, err)
	}
	opt.ChunkFrames = 3000
	if res, err = Archive(context.Background(), recs, opt); err != nil || res.Windows != 2 {
		t.Fatalf("a stride of 3000 samples at a 3000-sample bound: %+v, %v", res, err)
	}
}
