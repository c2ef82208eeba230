package wfdb_test

import (
	"os"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// Annotations as CSV with rdann's columns; the rhythm note's trailing NUL
// byte is dropped as rdann drops it.
func ExampleWriteAnnotationTable() {
	anns := []wfdb.Annotation{
		{Sample: 18, Type: wfdb.Rhythm, Aux: "(N\x00"},
		{Sample: 370, Type: wfdb.Normal},
		{Sample: 662, Type: wfdb.PVC},
	}
	sel := wfdb.AnnotationsBetween(anns, 0, 400)
	_ = wfdb.WriteAnnotationTable(os.Stdout, sel, 360, "csv", true)
	// Output:
	// time,sample,type,subtype,chan,num,aux
	// 0:00.050,18,+,0,0,0,(N
	// 0:01.028,370,N,0,0,0,
}
