// Package signal holds the vocabulary every other package shares: spans of
// samples, the one rule by which a command or a library call selects
// signals of a record by name or index, which signals are ECG leads, the
// conversion of physical values (mV) to digital ADC units, and rational
// resampling (Resample, a polyphase filter as scipy's resample_poly).
//
// It imports nothing of the module: it stands leftmost in the data flow
// (docs/architecture.md).
package signal
