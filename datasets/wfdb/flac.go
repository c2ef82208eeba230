package wfdb

import "fmt"

// flacFrames returns the number of whole frames in a FLAC signal file.
func flacFrames(path string, g *group) (int64, error) {
	return 0, fmt.Errorf("%s: format %d: %w", path, g.format, ErrUnsupported)
}

// decodeFLACFile decodes the first frames of a FLAC signal file.
func decodeFLACFile(path string, g *group, frames int64) ([]int32, error) {
	return nil, fmt.Errorf("%s: format %d: %w", path, g.format, ErrUnsupported)
}
