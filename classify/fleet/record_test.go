package fleet

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// recordFleet feeds a hub with Config.Record on dir the given devices'
// signals (at 250 Hz, messages of 25 samples) and closes it.
func recordFleet(t *testing.T, dir string, opt RecordOptions, sigs map[string][]float64) *collector {
	t.Helper()
	opt.Dir = dir
	rec, err := NewRecorder(opt)
	if err != nil {
		t.Fatal(err)
	}
	c := newCollector()
	h, err := New(Config{Score: scoring(t), Emit: c.emit, Record: rec, RateFactor: 1e6}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for dev, x := range sigs {
		send(t, h, dev, x, 25, 250)
	}
	h.Close()
	rec.Close()
	return c
}

// quantised is x as recorded in mV at 1000 ADC units per mV.
func quantised(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = math.Round(v*1000) / 1000
	}
	return out
}

func TestRecordReadBack(t *testing.T) {
	dir := t.TempDir()
	af := signal(t, "afib", 250, 100, 1)
	nsr := signal(t, "normal", 250, 100, 2)
	c := recordFleet(t, dir, RecordOptions{Segment: 40 * time.Second, Now: func() time.Time {
		return time.Date(2026, 12, 7, 1, 2, 3, 0, time.UTC)
	}}, map[string][]float64{"af-1": af, "nsr.1": nsr})

	recs, err := datasets.ListRecords(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 6 {
		t.Fatalf("RECORDS lists %d records, want 3 segments for each of 2 devices: %v", len(recs), recs)
	}
	for _, r := range recs { // what `ecg info` reads
		if in, err := wfdb.Describe(r, RecordAnnotator); err != nil || in == nil {
			t.Errorf("%s: %v", r, err)
		}
	}
	for dev, x := range map[string][]float64{"af-1": af, "nsr.1": nsr} {
		name := RecordName(dev)
		// The master record reads as the whole signal.
		r, err := wfdb.ReadRecord(filepath.Join(dir, dev, name))
		if err != nil {
			t.Fatal(err)
		}
		got, want := r.Physical(0), quantised(x)
		if len(got) != len(want) {
			t.Fatalf("%s: %d samples, want %d", dev, len(got), len(want))
		}
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-9 {
				t.Fatalf("%s sample %d: %g, want %g", dev, i, got[i], want[i])
			}
		}
		h, err := wfdb.ReadHeader(filepath.Join(dir, dev, name+"_0002"))
		if err != nil {
			t.Fatal(err)
		}
		if h.NSamples != 10000 || !h.HasBaseTime || h.BaseTime != (1*time.Hour+2*time.Minute+43*time.Second) || h.BaseDate.Day() != 7 {
			t.Errorf("%s segment 2: %d samples at %v %v, want 10000 at 1:02:43 7/12/2026", dev, h.NSamples, h.BaseTime, h.BaseDate)
		}
		checkRecordedWindows(t, c, dir, dev)
	}
}

// checkRecordedWindows checks the rhythm and window notes against the
// window events: the first label at sample 0 of segment 1, each segment
// starting with the rhythm, a note per window at its last sample.
func checkRecordedWindows(t *testing.T, c *collector, dir, dev string) {
	t.Helper()
	name := RecordName(dev)
	var notes []wfdb.Annotation
	for k, seg := range []string{"_0001", "_0002", "_0003"} {
		anns, err := wfdb.ReadAnnotations(filepath.Join(dir, dev, name+seg), RecordAnnotator)
		if err != nil {
			t.Fatal(err)
		}
		if len(anns) == 0 || anns[0].Sample != 0 || anns[0].Type != wfdb.Rhythm {
			t.Fatalf("%s%s: annotations %v, want a rhythm at sample 0", dev, seg, anns)
		}
		for _, a := range anns {
			if a.Type == wfdb.Note && !strings.HasPrefix(a.Aux, "alert") && !strings.HasPrefix(a.Aux, "input") {
				a.Sample += int64(k) * 10000
				notes = append(notes, a)
			}
		}
	}
	wins := c.of(dev, "window")
	if len(wins) != len(notes) || len(wins) == 0 {
		t.Fatalf("%s: %d window notes, %d window events", dev, len(notes), len(wins))
	}
	for i, w := range wins {
		var b struct {
			End        int64
			Label      string
			Confidence float64
		}
		json.Unmarshal([]byte(w), &b)
		want := b.Label + " " + strconv.FormatFloat(b.Confidence, 'f', 2, 64)
		if notes[i].Sample != b.End-1 || !strings.HasPrefix(notes[i].Aux, want) {
			t.Errorf("%s window %d: note %q at %d, want %q at %d", dev, i, notes[i].Aux, notes[i].Sample, want, b.End-1)
		}
	}
}

func TestRecordRhythmArchive(t *testing.T) {
	dir := t.TempDir()
	recordFleet(t, dir, RecordOptions{Segment: time.Minute}, map[string][]float64{
		"af-1": signal(t, "afib", 250, 180, 3), "nsr-1": signal(t, "normal", 250, 180, 4)})
	recs, err := datasets.ListRecords(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	res, err := datasets.Archive(context.Background(), recs, datasets.ArchiveOptions{
		Out: out, Label: datasets.LabelRhythm, Stride: 20, Hop: 20, Jobs: 1,
		Outputs: []datasets.Output{{Suffix: ".txt", Write: func(w io.Writer, win *datasets.Window) error {
			_, err := io.WriteString(w, win.Name)
			return err
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("archive: %d records, labels %v, skipped (fraction) %d", res.Records, res.Labels, res.SkippedFraction)
	if res.Labels["AFIB"] < 5 || res.Labels["N"] < 8 {
		t.Fatalf("archive labels %v: want AFIB and N windows", res.Labels)
	}
	// Every AFIB window comes from the AF device, every N one from the other.
	for _, l := range []string{"AFIB", "N"} {
		ents, _ := os.ReadDir(filepath.Join(out, l))
		for _, e := range ents {
			if (l == "AFIB") != strings.HasPrefix(e.Name(), "af-1") {
				t.Errorf("%s/%s", l, e.Name())
			}
		}
	}
}

// failingFile fails with ENOSPC once it holds limit bytes.
type failingFile struct {
	*os.File
	limit *atomic.Int64
}

func (f failingFile) Write(p []byte) (int, error) {
	n := int(min(int64(len(p)), max(f.limit.Add(-int64(len(p)))+int64(len(p)), 0)))
	m, err := f.File.Write(p[:n])
	if err == nil && n < len(p) {
		err = syscall.ENOSPC
	}
	return m, err
}

func TestRecordDiskFull(t *testing.T) {
	dir := t.TempDir()
	var limit atomic.Int64
	limit.Store(2 * 250 * 30) // 30 s of signal, then the disk is full
	create := func(p string) (RecordFile, error) {
		if limit.Load() <= 0 {
			return nil, &os.PathError{Op: "open", Path: p, Err: syscall.ENOSPC}
		}
		f, err := os.Create(p)
		return failingFile{f, &limit}, err
	}
	x := signal(t, "afib", 250, 90, 5)
	c := recordFleet(t, dir, RecordOptions{Segment: 20 * time.Second, Flush: time.Millisecond, Create: create},
		map[string][]float64{"af-1": x})
	errs := c.of("af-1", EventRecord)
	if len(errs) == 0 || !strings.Contains(errs[0], "no space left") || !strings.Contains(errs[0], "af-1_000") {
		t.Fatalf("record events %v: want one naming the file and ENOSPC", errs)
	}
	if w := c.of("af-1", "window"); len(w) < 10 || len(c.of("af-1", "alert")) == 0 {
		t.Fatalf("%d windows and no alert: the scoring did not go on", len(w))
	}
	// What was written reads back: 30 s, in a segment of 20 s and one of 10 s.
	r, err := wfdb.ReadRecord(filepath.Join(dir, "af-1", "af-1"))
	if err != nil {
		t.Fatal(err)
	}
	if r.NumFrames() != 250*30 {
		t.Errorf("master: %d samples, want %d", r.NumFrames(), 250*30)
	}
	got, want := r.Physical(0), quantised(x)
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("sample %d: %g, want %g", i, got[i], want[i])
		}
	}
}

// TestRecordRdsamp checks every closed segment and the master record with
// WFDB's rdsamp, when it is installed.
func TestRecordRdsamp(t *testing.T) {
	rdsamp, err := exec.LookPath("rdsamp")
	if err != nil {
		rdsamp = "/work/wfdb/bin/rdsamp"
		if _, err := os.Stat(rdsamp); err != nil {
			t.Skip("no rdsamp")
		}
	}
	dir := t.TempDir()
	x := signal(t, "normal", 250, 50, 6)
	recordFleet(t, dir, RecordOptions{Segment: 20 * time.Second}, map[string][]float64{"w.17": x})
	want := quantised(x)
	for _, rec := range []string{"w-17_0001", "w-17_0002", "w-17_0003", "w-17"} {
		cmd := exec.Command(rdsamp, "-r", rec, "-p", "-P")
		cmd.Dir = filepath.Join(dir, "w.17")
		cmd.Env = append(os.Environ(), "LD_LIBRARY_PATH=/work/wfdb/lib:/work/wfdb/lib64", "WFDB=.")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("rdsamp -r %s: %v\n%s", rec, err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		from := map[string]int{"w-17_0001": 0, "w-17_0002": 5000, "w-17_0003": 10000, "w-17": 0}[rec]
		n := map[string]int{"w-17_0001": 5000, "w-17_0002": 5000, "w-17_0003": 2500, "w-17": 12500}[rec]
		if len(lines) != n {
			t.Fatalf("rdsamp -r %s: %d lines, want %d", rec, len(lines), n)
		}
		for i, l := range lines {
			f := strings.Fields(l)
			v, err := strconv.ParseFloat(f[len(f)-1], 64)
			if err != nil || math.Abs(v-want[from+i]) > 1e-6 {
				t.Fatalf("rdsamp -r %s line %d: %q, want %g", rec, i, l, want[from+i])
			}
		}
	}
}

// TestRecordCloseMidSegment checks that closing a device mid-segment
// leaves a closed, listed segment of the samples so far, and that the
// open segment is readable before it closes (the crash case).
func TestRecordCloseMidSegment(t *testing.T) {
	dir := t.TempDir()
	rec, err := NewRecorder(RecordOptions{Dir: dir, Flush: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var events []stream.Event
	d := rec.Open("w1", 250, func(e stream.Event) { events = append(events, e) })
	x := signal(t, "normal", 250, 10, 7)
	d.Samples(x)
	d.flush()
	// Before the close: the header of unknown length reads to the end.
	r, err := wfdb.ReadRecord(filepath.Join(dir, "w1", "w1_0001"))
	if err != nil || r.NumFrames() != len(x) {
		t.Fatalf("open segment: %v, %d samples", err, r.NumFrames())
	}
	d.Close()
	rec.Close()
	h, err := wfdb.ReadHeader(filepath.Join(dir, "w1", "w1_0001"))
	if err != nil || h.NSamples != int64(len(x)) || !h.Signals[0].HasChecksum {
		t.Fatalf("closed segment: %v %+v", err, h)
	}
	r, err = wfdb.ReadRecord(filepath.Join(dir, "w1", "w1_0001"))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.VerifyChecksums(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "RECORDS")); string(b) != "w1/w1_0001\n" || len(events) != 0 {
		t.Fatalf("RECORDS %q, events %v", b, events)
	}
	// A second run adds a segment and extends the master.
	rec, _ = NewRecorder(RecordOptions{Dir: dir})
	d = rec.Open("w1", 250, nil)
	d.Samples(x)
	d.Close()
	rec.Close()
	m, err := wfdb.ReadHeader(filepath.Join(dir, "w1", "w1"))
	if err != nil || len(m.Segments) < 2 || m.Segments[len(m.Segments)-1].Name != "w1_0002" {
		t.Fatalf("master after a second run: %v %+v", err, m)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "RECORDS")); string(b) != "w1/w1_0001\nw1/w1_0002\n" {
		t.Fatalf("RECORDS %q", b)
	}
}

// TestRecordCrash: a run that ends without closing its segment (a crash)
// leaves it readable; the next run closes it, lists it and extends the
// master with it.
func TestRecordCrash(t *testing.T) {
	dir := t.TempDir()
	rec, err := NewRecorder(RecordOptions{Dir: dir, Flush: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	x := signal(t, "normal", 250, 10, 8)
	d := rec.Open("w1", 250, nil)
	d.Samples(x)
	d.flush() // what the flusher does every Flush; then the process dies
	if b, _ := os.ReadFile(filepath.Join(dir, "RECORDS")); len(b) != 0 {
		t.Fatalf("RECORDS lists an open segment: %q", b)
	}
	if r, err := wfdb.ReadRecord(filepath.Join(dir, "w1", "w1_0001")); err != nil || r.NumFrames() != len(x) {
		t.Fatalf("the open segment: %v", err)
	}
	// and died in the middle of a line of RECORDS.
	os.WriteFile(filepath.Join(dir, "RECORDS"), []byte("w9/w9_00"), 0o644)
	rec2, _ := NewRecorder(RecordOptions{Dir: dir})
	d2 := rec2.Open("w1", 250, nil)
	d2.Samples(x[:1000])
	d2.Close()
	rec2.Close()
	if b, _ := os.ReadFile(filepath.Join(dir, "RECORDS")); string(b) != "w1/w1_0001\nw1/w1_0002\n" {
		t.Fatalf("RECORDS %q", b)
	}
	r, err := wfdb.ReadRecord(filepath.Join(dir, "w1", "w1"))
	if err != nil || r.NumFrames() != len(x)+1000 {
		t.Fatalf("master: %v", err)
	}
	h, _ := wfdb.ReadHeader(filepath.Join(dir, "w1", "w1_0001"))
	if h.NSamples != int64(len(x)) || !h.Signals[0].HasChecksum {
		t.Errorf("recovered header %+v", h)
	}
	// rec stands for the process that died: it is not closed.
}

// TestRecordDevFull: the second segment's file is /dev/full, a real
// ENOSPC from the kernel; the first segment stays whole, the scoring goes
// on, the later segments are recorded again.
func TestRecordDevFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	dir := t.TempDir()
	var n atomic.Int32
	create := func(p string) (RecordFile, error) {
		if n.Add(1) == 2 {
			return os.OpenFile("/dev/full", os.O_WRONLY, 0)
		}
		return os.Create(p)
	}
	x := signal(t, "normal", 250, 60, 9)
	c := recordFleet(t, dir, RecordOptions{Segment: 20 * time.Second, Flush: time.Millisecond, Create: create},
		map[string][]float64{"w1": x})
	if errs := c.of("w1", EventRecord); len(errs) == 0 || !strings.Contains(errs[0], "no space left") {
		t.Fatalf("record events %v", errs)
	}
	if len(c.of("w1", "window")) < 6 {
		t.Fatal("the scoring did not go on")
	}
	b, _ := os.ReadFile(filepath.Join(dir, "RECORDS"))
	recs := strings.Fields(string(b))
	if len(recs) < 2 || recs[0] != "w1/w1_0001" {
		t.Fatalf("RECORDS %q", b)
	}
	r, err := wfdb.ReadRecord(filepath.Join(dir, "w1", "w1_0001"))
	if err != nil || r.NumFrames() != 5000 {
		t.Fatalf("first segment: %v", err)
	}
	m, err := wfdb.ReadHeader(filepath.Join(dir, "w1", "w1"))
	if err != nil || m.NSamples != int64(len(x)) || m.Segments[1].Name != "~" {
		t.Fatalf("master %+v: want %d samples, the lost stretch a null segment", m, len(x))
	}
}
