package main

import (
	"github.com/schollz/progressbar/v3"
)

// progress is a bar on a terminal and nothing elsewhere (pipes, CI,
// --quiet). Library packages report through callbacks; commands feed them
// to a progress.
type progress struct{ bar *progressbar.ProgressBar }

// newProgress returns a progress over total items described by desc.
func (a *app) newProgress(total int64, desc string) *progress {
	if a.quiet || !a.io.ErrTTY {
		return &progress{}
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(a.io.ErrOut),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100_000_000),
	)
	return &progress{bar: bar}
}

// Add advances the bar by n items.
func (p *progress) Add(n int) {
	if p != nil && p.bar != nil {
		_ = p.bar.Add(n)
	}
}

// Done clears the bar.
func (p *progress) Done() {
	if p != nil && p.bar != nil {
		_ = p.bar.Finish()
	}
}
