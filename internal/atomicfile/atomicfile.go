// Package atomicfile writes files so that readers see either the old file
// or the complete new one, never a partial write: data goes to a temporary
// file in the same directory, is synced, and is renamed over the target.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// File is a pending atomic write. Write to it, then Commit or Abort.
// Abort after Commit is a no-op, so `defer f.Abort()` is always safe.
type File struct {
	path   string
	tmp    *os.File
	w      *bufio.Writer
	done   bool
	noSync bool
}

// CheckTarget returns an error naming path when it cannot be the target
// of a write: it is an existing folder. Commands check their output paths
// with it before long work, so that a mistyped flag fails at once.
func CheckTarget(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a folder, not a file", path)
	}
	return nil
}

// Create starts an atomic write of path with permissions 0644.
func Create(path string) (*File, error) {
	if err := CheckTarget(path); err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, createError(path, err)
	}
	return &File{path: path, tmp: tmp, w: bufio.NewWriterSize(tmp, 32<<10)}, nil
}

// createError says why path cannot be written, naming path and its
// folder rather than the temporary file: the folder is missing, is not a
// folder, or may not be written.
func createError(path string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	dir := filepath.Dir(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: folder %s does not exist", path, dir)
	case errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("%s: %s is not a folder", path, dir)
	}
	return fmt.Errorf("%s: cannot write in %s: %w", path, dir, err)
}

// CreateNoSync is Create without the fsync before the rename. Readers still
// never see a partial file (the rename is atomic), but after a power loss
// the file may be empty. For bulk outputs that can be regenerated (archive
// images), where one fsync per file would set the pace; callers that
// resume must treat an empty file as missing.
func CreateNoSync(path string) (*File, error) {
	f, err := Create(path)
	if err == nil {
		f.noSync = true
	}
	return f, err
}

// Write writes p to the temporary file.
func (f *File) Write(p []byte) (int, error) { return f.w.Write(p) }

// WriteString writes s to the temporary file.
func (f *File) WriteString(s string) (int, error) { return f.w.WriteString(s) }

// Commit flushes, syncs and renames the temporary file to the target.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("atomicfile: %s: already committed or aborted", f.path)
	}
	f.done = true
	err := f.w.Flush()
	if err == nil && !f.noSync {
		err = f.tmp.Sync()
	}
	if err == nil {
		err = f.tmp.Chmod(0o644)
	}
	if cerr := f.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.tmp.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.tmp.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return nil
}

// Abort discards the temporary file; the target is left untouched.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}

// WriteFile writes path atomically with the output of fn; if fn fails, the
// target is untouched and the error is returned.
func WriteFile(path string, fn func(w io.Writer) error) error {
	return write(Create, path, fn)
}

// WriteFileNoSync is WriteFile with CreateNoSync.
func WriteFileNoSync(path string, fn func(w io.Writer) error) error {
	return write(CreateNoSync, path, fn)
}

func write(create func(string) (*File, error), path string, fn func(w io.Writer) error) error {
	f, err := create(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := fn(f); err != nil {
		return err
	}
	return f.Commit()
}
