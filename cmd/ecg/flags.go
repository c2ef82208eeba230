package main

import (
	"slices"
	"strings"
)

// checkFormat returns a usage error unless format is one of allowed.
func checkFormat(format string, allowed ...string) error {
	if slices.Contains(allowed, format) {
		return nil
	}
	list := strings.Join(allowed[:len(allowed)-1], ", ") + " or " + allowed[len(allowed)-1]
	return usagef("--format %q: want %s", format, list)
}

// checkJobs returns a usage error unless jobs is at least 1.
func checkJobs(jobs int) error {
	if jobs < 1 {
		return usagef("--jobs %d: want at least 1", jobs)
	}
	return nil
}
