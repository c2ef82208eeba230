// Package edftest builds small EDF and EDF+ files for tests.
package edftest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
)

// Signal describes one signal of a test file.
type Signal struct {
	Label            string
	Units            string
	PhysMin, PhysMax float64
	DigMin, DigMax   int
	NSamples         int // samples per data record
}

// File describes a test file: Reserved is "" (EDF), "EDF+C" or "EDF+D";
// StartDate and StartTime are dd.mm.yy and hh.mm.ss.
type File struct {
	Reserved             string
	StartDate, StartTime string
	Records              int
	Duration             float64 // seconds per data record
	Signals              []Signal
}

// Build returns the bytes of f with sample(s, i) as the i-th value of
// signal s (counted over the whole file).
func Build(f File, sample func(s, i int) int16) []byte {
	ns := len(f.Signals)
	var b bytes.Buffer
	pad := func(s string, n int) { b.WriteString(s + strings.Repeat(" ", n-len(s))) }
	pad("0", 8)
	pad("X X X X", 80)
	pad("Startdate 01-JAN-2020 X X X", 80)
	pad(f.StartDate, 8)
	pad(f.StartTime, 8)
	pad(fmt.Sprint(256*(ns+1)), 8)
	pad(f.Reserved, 44)
	pad(fmt.Sprint(f.Records), 8)
	pad(fmt.Sprint(f.Duration), 8)
	pad(fmt.Sprint(ns), 4)
	each := func(w int, v func(s Signal) string) {
		for _, s := range f.Signals {
			pad(v(s), w)
		}
	}
	each(16, func(s Signal) string { return s.Label })
	each(80, func(Signal) string { return "AgAgCl electrode" })
	each(8, func(s Signal) string { return s.Units })
	each(8, func(s Signal) string { return fmt.Sprint(s.PhysMin) })
	each(8, func(s Signal) string { return fmt.Sprint(s.PhysMax) })
	each(8, func(s Signal) string { return fmt.Sprint(s.DigMin) })
	each(8, func(s Signal) string { return fmt.Sprint(s.DigMax) })
	each(80, func(Signal) string { return "HP:0.1Hz" })
	each(8, func(s Signal) string { return fmt.Sprint(s.NSamples) })
	each(32, func(Signal) string { return "" })
	count := make([]int, ns)
	for r := 0; r < f.Records; r++ {
		for s, sig := range f.Signals {
			for j := 0; j < sig.NSamples; j++ {
				binary.Write(&b, binary.LittleEndian, sample(s, count[s]))
				count[s]++
			}
		}
	}
	return b.Bytes()
}

// Annotations returns a sample function for an "EDF Annotations" signal
// of n samples per data record holding tals[k] in record k (padded with
// NUL bytes).
func Annotations(tals []string, n int) func(i int) int16 {
	blocks := make([][]byte, len(tals))
	for k, s := range tals {
		blocks[k] = make([]byte, 2*n)
		copy(blocks[k], s)
	}
	return func(i int) int16 {
		b := blocks[i/n]
		j := 2 * (i % n)
		return int16(uint16(b[j]) | uint16(b[j+1])<<8)
	}
}
