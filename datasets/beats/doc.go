// Package beats finds heartbeats in ECG signals and scores them.
//
// Detector is an incremental QRS detector for any sampling rate from 125
// Hz to 1 kHz: it is fed samples in chunks of any size (a file read in
// blocks, a live stream) and emits beats within a bounded delay, the same
// beats whatever the chunking. Detect and DetectLeads run it over a whole
// signal.
//
// Match compares detected beats with reference annotations by the
// beat-by-beat rules of ANSI/AAMI EC57 as the WFDB program bxb applies
// them (150 ms window, first 5 minutes skipped, ventricular flutter
// episodes left out: see Reference); it gives the same true positives,
// false negatives and false positives as bxb on every MIT-BIH Arrhythmia
// Database record.
//
// SummarizeHRV gives heart rate and time-domain variability (SDNN, RMSSD,
// pNN50) of a beat series; SummarizeBeats gives them over detected beats,
// leaving out the intervals around beats marked Noisy (found in noise or
// placed by the rhythm).
package beats
