// Package pool runs a function over a list with a bounded number of
// goroutines and keeps the results in input order: the one worker pool of
// commands that work record by record.
package pool

import (
	"context"
	"sync"
)

// Map calls fn on every item with at most jobs calls at a time (at least
// one) and returns the results in the order of items. done, when not nil,
// is called after each item, from the goroutine that ran it; every call of
// fn and done has returned when Map returns. Once ctx is done no new item
// starts; Map then waits for the running ones and returns ctx's error with
// the results so far (zero values for items not run).
func Map[In, Out any](ctx context.Context, items []In, jobs int, fn func(In) Out, done func()) ([]Out, error) {
	out := make([]Out, len(items))
	sem := make(chan struct{}, max(1, jobs))
	var wg sync.WaitGroup
	for i, item := range items {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			// done runs before wg.Done, so that every call has returned
			// when Map does.
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = fn(item)
			if done != nil {
				done()
			}
		}()
	}
	wg.Wait()
	return out, ctx.Err()
}
