package main

import (
	"fmt"

	"github.com/ecgkit/ecg/classify"
)

// checkCrops checks -crops and -crop-share.
func (o *options) checkCrops() error {
	switch {
	case o.crops < 0 || o.crops > classify.MaxCrops:
		return fmt.Errorf("-crops %d: want 0 to %d", o.crops, classify.MaxCrops)
	case o.crops > 0 && !(o.cropShare >= classify.MinCropShare && o.cropShare <= classify.MaxCropShare):
		return fmt.Errorf("-crop-share %v: want %g to %g", o.cropShare, classify.MinCropShare, classify.MaxCropShare)
	}
	return nil
}

// cropsNote describes the crop views of -cv ("" without them).
func (o *options) cropsNote() string {
	if o.crops == 0 {
		return ""
	}
	return fmt.Sprintf(", %d crop views of %g of each file", o.crops, o.cropShare)
}
