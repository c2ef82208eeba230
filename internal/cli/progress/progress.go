// Package progress draws the progress bars of the ecg commands: a bar on
// a terminal, nothing elsewhere (pipes, CI, --quiet). Library packages
// report progress through callbacks; commands feed them to a Bar, or to
// Stages for library calls that report stage by stage.
package progress

import (
	"io"

	"github.com/schollz/progressbar/v3"
)

// Bar is a progress bar over a known number of items. A nil Bar, or one
// made with show false, draws nothing.
type Bar struct{ bar *progressbar.ProgressBar }

// New returns a Bar over total items described by desc, drawn on w when
// show is true (w is a terminal and the user did not ask for quiet).
func New(w io.Writer, show bool, total int64, desc string) *Bar {
	if !show {
		return &Bar{}
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100_000_000),
	)
	return &Bar{bar: bar}
}

// Add advances the bar by n items.
func (p *Bar) Add(n int) {
	if p != nil && p.bar != nil {
		_ = p.bar.Add(n)
	}
}

// Done clears the bar.
func (p *Bar) Done() {
	if p != nil && p.bar != nil {
		_ = p.bar.Finish()
	}
}

// Stages draws a bar per stage of a library call that reports progress
// as (stage, done, total) (classify.Progress): a new stage clears the bar
// of the last one and starts its own.
type Stages struct {
	// New makes the bar of a stage of total items.
	New   func(total int64, stage string) *Bar
	stage string
	bar   *Bar
}

// Update reports that done of total items of stage are done: done > 0
// advances the stage's bar by one.
func (s *Stages) Update(stage string, done, total int) {
	if stage != s.stage || s.bar == nil {
		s.bar.Done()
		s.stage, s.bar = stage, s.New(int64(total), stage)
	}
	if done > 0 {
		s.bar.Add(1)
	}
}

// Done clears the current stage's bar.
func (s *Stages) Done() { s.bar.Done() }
