package main

import (
	"os"
	"sync"
	"testing"
)

// Benchmarks that write files get their output directories from
// benchOutDir: new directories under one root that is removed when the
// test binary ends, not when each benchmark round ends (b.TempDir).
//
// Why: on an ext4 file system without a journal (this project's
// machines), the inode allocator skips inodes deleted in the last 30
// seconds and reads their inode-table blocks to find out
// (fs/ext4/ialloc.c, recently_deleted). After a round's thousands of
// files are removed, creating a file in the next round costs ~1 ms
// instead of ~0.04 ms, and the benchmark would measure its own clean-up.
var benchRoot struct {
	once sync.Once
	dir  string
	err  error
}

func benchOutDir(b *testing.B) string {
	b.Helper()
	benchRoot.once.Do(func() { benchRoot.dir, benchRoot.err = os.MkdirTemp("", "ecg-bench-") })
	if benchRoot.err != nil {
		b.Fatal(benchRoot.err)
	}
	dir, err := os.MkdirTemp(benchRoot.dir, "out-")
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// removeBenchDirsAfter runs the tests and benchmarks, then removes
// benchOutDir's root.
type removeBenchDirsAfter struct{ m *testing.M }

func (r removeBenchDirsAfter) Run() int {
	code := r.m.Run()
	if benchRoot.dir != "" {
		os.RemoveAll(benchRoot.dir)
	}
	return code
}
