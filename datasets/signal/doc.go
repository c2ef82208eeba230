// Package signal holds the vocabulary every other package shares: spans of
// samples, the one rule by which a command or a library call selects
// signals of a record by name or index, which signals are ECG leads, and the
// conversion of physical values (mV) to digital ADC units.
//
// It imports nothing of the module: it stands leftmost in the data flow
// (docs/architecture.md).
package signal
