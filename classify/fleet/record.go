package fleet

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// EventRecord is the type of the events a Recorder makes when it cannot
// write (a full disk, a failing file): their body is a *RecordBody.
const EventRecord = "record"

// RecordBody is the body of a record event.
type RecordBody struct {
	// Error says what could not be written, naming the file.
	Error string `json:"error"`
	// Lost is the number of samples not recorded because of it.
	Lost int64 `json:"lost_samples"`
}

// RecordAnnotator is the annotator of the recorded annotations: "atr",
// the one `ecg spectro --label rhythm` and the WFDB tools read by default.
const RecordAnnotator = "atr"

// Recording defaults.
const (
	DefaultSegment     = time.Hour
	DefaultRecordFlush = 2 * time.Second
	// recordGain is the ADC units per mV of recorded signals in mV, uV or
	// V: 1 µV a unit, ±32.767 mV in format 16.
	recordGain = 1000
)

// RecordFile is an open signal file of a segment (an *os.File).
type RecordFile interface {
	io.Writer
	Sync() error
	Close() error
}

// RecordOptions set up a Recorder.
type RecordOptions struct {
	// Dir is the folder of the recording: Dir/DEVICE/ holds a device's
	// segments and master record, Dir/RECORDS lists the closed segments.
	Dir string
	// Segment is the length of a segment (0: DefaultSegment).
	Segment time.Duration
	// Flush is how often the open segments' samples and annotations are
	// written out (0: DefaultRecordFlush): a crash loses at most that.
	Flush time.Duration
	// Input gives the units of the values (Units, Gain, Baseline), as in
	// Config.Input.
	Input stream.InputOptions
	// Now returns the time (nil: time.Now): the base time of a device's
	// first segment is the time its first sample is recorded.
	Now func() time.Time
	// Create creates a segment's signal file (nil: os.Create); tests pass
	// failing ones.
	Create func(path string) (RecordFile, error)
}

// Recorder writes every device's samples as WFDB records, with the window
// labels (rhythm changes as "(AFIB", "(N" notes), alerts and input gaps as
// annotations. Each device has a folder Dir/DEVICE holding segments
// DEVICE_0001, DEVICE_0002... of Segment each (format 16, base time and
// date in the header) and a multi-segment master record DEVICE listing
// the closed ones; Dir/RECORDS lists every closed segment, so that Dir is
// a database for `ecg spectro Dir --label rhythm`.
//
// An open segment's header is written when its first samples are (with
// length 0: to the end of the signal file, readable as it grows) and
// rewritten atomically with its length and checksum when it closes; its
// samples and annotations are written out every Flush. Write errors are
// reported as record events and never stop the scoring. Its methods are
// safe for concurrent use.
type Recorder struct {
	opt     RecordOptions
	k, gain float64 // stored value = round(v*k); header gain
	base    int32

	mu     sync.Mutex
	open   map[*DeviceRecord]bool
	recs   *os.File // Dir/RECORDS, appended to
	stop   chan struct{}
	done   chan struct{}
	closed bool
}

// NewRecorder returns a running recorder on opt.Dir (created if needed).
func NewRecorder(opt RecordOptions) (*Recorder, error) {
	if opt.Segment <= 0 {
		opt.Segment = DefaultSegment
	}
	if opt.Flush <= 0 {
		opt.Flush = DefaultRecordFlush
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Create == nil {
		opt.Create = func(p string) (RecordFile, error) { return os.Create(p) }
	}
	r := &Recorder{opt: opt, k: 1, gain: recordGain, open: map[*DeviceRecord]bool{},
		stop: make(chan struct{}), done: make(chan struct{})}
	switch strings.ToLower(opt.Input.Units) {
	case "", "mv":
		r.k = recordGain
	case "uv":
		r.k = recordGain / 1000.0
	case "v":
		r.k = recordGain * 1000.0
	case "adu":
		r.gain = cmpOr(opt.Input.Gain, 200)
		r.base = int32(math.Round(opt.Input.Baseline))
	default:
		return nil, fmt.Errorf("fleet: record: units %q (want mV, uV, V or adu)", opt.Input.Units)
	}
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("fleet: record: %w", err)
	}
	if err := r.openRecords(); err != nil {
		return nil, err
	}
	go r.flusher()
	return r, nil
}

func cmpOr(v, def float64) float64 {
	if v > 0 {
		return v
	}
	return def
}

// openRecords opens Dir/RECORDS for appending, first cutting a line a
// crash left half written.
func (r *Recorder) openRecords() error {
	path := filepath.Join(r.opt.Dir, "RECORDS")
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("fleet: record: %w", err)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		if err := os.Truncate(path, int64(strings.LastIndexByte(string(b), '\n')+1)); err != nil {
			return fmt.Errorf("fleet: record: %w", err)
		}
	}
	r.recs, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("fleet: record: %w", err)
	}
	return nil
}

// list appends a closed segment to Dir/RECORDS, one line in one write,
// synced (a line an hour a device: appending, never rewriting the list).
// Segments are listed once: a segment is listed after its header gets
// its length, and only segments without one are recovered.
func (r *Recorder) list(name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.recs.WriteString(name + "\n"); err != nil {
		return fmt.Errorf("%s: %w", r.recs.Name(), err)
	}
	if err := r.recs.Sync(); err != nil {
		return fmt.Errorf("%s: %w", r.recs.Name(), err)
	}
	return nil
}

func (r *Recorder) flusher() {
	defer close(r.done)
	t := time.NewTicker(r.opt.Flush)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
		}
		r.mu.Lock()
		recs := make([]*DeviceRecord, 0, len(r.open))
		for d := range r.open {
			recs = append(recs, d)
		}
		r.mu.Unlock()
		for _, d := range recs {
			d.flush()
		}
	}
}

// Close stops the periodic flushing and closes the segments still open
// (the hub closes its devices' ones first).
func (r *Recorder) Close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	recs := make([]*DeviceRecord, 0, len(r.open))
	for d := range r.open {
		recs = append(recs, d)
	}
	r.mu.Unlock()
	close(r.stop)
	<-r.done
	for _, d := range recs {
		d.Close()
	}
	r.recs.Close()
}

// RecordName returns the WFDB record name of a device's recording: its id
// with '.' (which WFDB takes for an extension) as '-'. Its folder is the
// id itself (ValidDevice ids are safe file names). Segments are NAME_0001,
// NAME_0002...: `ecg train` groups windows by the part of their names
// before the first '_', so the ids without '_' keep a device's windows on
// one side of every split.
func RecordName(device string) string { return strings.ReplaceAll(device, ".", "-") }

// Open starts recording a device at rate fs; onError gets the record
// events of failed writes (called without locks held, from the device's
// goroutine or the recorder's). The device's folder is made when its
// first samples are recorded.
func (r *Recorder) Open(device string, fs float64, onError func(stream.Event)) *DeviceRecord {
	d := &DeviceRecord{r: r, id: device, name: RecordName(device), dir: filepath.Join(r.opt.Dir, device),
		fs: fs, segLen: max(1, int64(math.Round(r.opt.Segment.Seconds()*fs))), onError: onError}
	r.mu.Lock()
	if !r.closed {
		r.open[d] = true
	}
	r.mu.Unlock()
	return d
}

// DeviceRecord is one device's recording, from its stream's start to its
// end: the open segment, the annotations, the master record. Recorder.Open
// makes one; the hub feeds it (Samples, Event) and closes it. Its methods
// are safe for concurrent use.
type DeviceRecord struct {
	r       *Recorder
	id      string
	name    string
	dir     string
	fs      float64
	segLen  int64
	onError func(stream.Event)

	mu      sync.Mutex
	started bool      // the folder and master were set up
	start   time.Time // wall time of the stream's sample 0
	total   int64     // samples recorded or lost since the stream's start
	seq     int       // number of the last segment
	seg     *segment  // the open segment, nil between segments
	master  *wfdb.Header
	// masterOff is the master's sample of the stream's sample 0.
	masterOff int64
	rhythm    string            // the current rhythm label
	anns      []wfdb.Annotation // not yet in a segment (Sample: stream samples)
	errs      []stream.Event    // record events to report
	lastErr   time.Time
	lost      int64 // samples lost since the last record event
}

// segment is an open segment: its signal file, what is written of it and
// what waits.
type segment struct {
	name     string
	from     int64 // its first sample in the stream
	n        int64 // samples taken
	written  int64 // samples in the file
	f        RecordFile
	pending  []int32
	buf      []byte
	checksum int16
	spec     wfdb.Header
	anns     []wfdb.Annotation // Sample: stream samples
	annDirty bool
	failed   bool
	failedAt time.Time
}

// recordEvent returns the function that passes a device's record events
// on (from any goroutine): counted, to Config.Emit and Config.Errors.
func (h *Hub) recordEvent(device string) func(stream.Event) {
	return func(e stream.Event) {
		h.metrics.events.WithLabelValues(e.Type).Inc()
		if b, ok := e.Body.(*RecordBody); ok {
			h.errorf("device %s: %s (%d samples lost)", device, b.Error, b.Lost)
		}
		if h.cfg.Emit != nil {
			h.cfg.Emit(device, withDevice(device, e))
		}
		h.flushOut()
	}
}
