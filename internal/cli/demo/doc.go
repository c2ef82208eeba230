// Package demo is the guided tour of `ecg demo`: it runs ecg's own
// commands one after the other on embedded MIT-BIH excerpts and simulated
// patients (ingest, info, export, beats, spectro, simulate, train, eval,
// stream), echoing each command line and the first lines of its output,
// and keeps every step's full output in OUT/logs.
//
// The commands run through a Runner, which cmd/ecg makes from its own
// in-process entry point; the tour knows the command lines, not how they
// run, and tests run it with a fake.
package demo
