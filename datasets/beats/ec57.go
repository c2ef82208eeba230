package beats

import (
	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// Reference extracts what a beat-by-beat comparison needs from reference
// annotations: the samples of beat annotations (Code.IsBeat: non-beat
// codes are ignored), and the ventricular flutter/fibrillation episodes
// ('[' to ']', to the end of the record when open) that EC57 and bxb
// leave out of the scoring. nFrames is the record length in samples (0 if
// unknown).
func Reference(anns []wfdb.Annotation, nFrames int64) (beatSamples []int64, vf []signal.Span) {
	open := int64(-1)
	for _, a := range anns {
		switch {
		case a.Type.IsBeat():
			beatSamples = append(beatSamples, a.Sample)
		case a.Type == wfdb.VFOn:
			if open < 0 {
				open = a.Sample
			}
		case a.Type == wfdb.VFOff:
			if open >= 0 {
				vf = append(vf, signal.Span{Start: open, End: a.Sample})
				open = -1
			}
		}
	}
	if open >= 0 {
		end := nFrames
		if end <= open {
			end = 1<<63 - 1
		}
		vf = append(vf, signal.Span{Start: open, End: end})
	}
	return beatSamples, vf
}

// BeatSamples returns the samples of the beat annotations in anns.
func BeatSamples(anns []wfdb.Annotation) []int64 {
	var s []int64
	for _, a := range anns {
		if a.Type.IsBeat() {
			s = append(s, a.Sample)
		}
	}
	return s
}
