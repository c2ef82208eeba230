package classify

import (
	"fmt"

	"github.com/ecgkit/ecg/classify/nn"
)

// Architectures of the cnn learner (CNNOptions.Arch; ecg train
// --cnn-arch).
const (
	// CNNArch2D is the image network: 2-D convolution blocks (3x3, ReLU,
	// 2x2 max pooling) over the frequency rows and time columns alike.
	CNNArch2D = "2d"
	// CNNArchTemporal is the temporal network: the image's frequency rows
	// are channels and its columns a 1-D signal in time; 1-D convolution
	// blocks (7 columns, ReLU, max pooling of 2 columns) see several beats
	// of a beat-resolving spectrogram, pooling time only.
	CNNArchTemporal = "temporal"
)

// temporalDefaults are the settings of the temporal network that
// withDefaults fills in: its filters and kernel (columns); and those
// cnnArchitecture gives a new temporal network: the blocks' convolution
// strides (nil: 1), the global pooling (nn.GlobalAvg "") and, with a
// recurrent layer (CNNOptions.Recurrent), whether the channels' averages
// are joined to its states (nn.Arch.RecurrentAvg). A network started from
// a model (--from) keeps the model's.
var (
	temporalFilters      = []int{32, 32, 64, 64}
	temporalKernel       = 7
	temporalStrides      []int
	temporalGlobalPool   = nn.GlobalAvg
	temporalRecurrentAvg = true
)

// checkArch checks CNNOptions.Arch ("" is CNNArch2D).
func checkArch(a string) error {
	if a != "" && a != CNNArch2D && a != CNNArchTemporal {
		return &OptionError{"cnn-arch", a, CNNArch2D + " or " + CNNArchTemporal}
	}
	return nil
}

// cnnArchitecture returns the network of o (with defaults) for images of
// img joined with extra values, into k classes: 2-D blocks over a
// 1-channel image, or (CNNArchTemporal) 1-D blocks over img.Rows channels
// of img.Cols columns, the same values in the same order.
func cnnArchitecture(o CNNOptions, img ImageFeatures, extra, k int) nn.Arch {
	a := nn.Arch{In: networkInput(o.Arch, img.Rows, img.Cols), OneD: o.Arch == CNNArchTemporal, Filters: o.Filters,
		Kernel: o.Kernel, Pool: 2, Extra: extra, Hidden: o.Hidden, Classes: k, GroupNorm: normGroups(o)}
	if a.OneD {
		a.Strides, a.GlobalPool, a.Recurrent = temporalStrides, temporalGlobalPool, o.Recurrent
		a.RecurrentAvg = o.Recurrent > 0 && temporalRecurrentAvg
	}
	return a
}

// checkRecurrent checks CNNOptions.Recurrent: 0, or 1 to
// nn.MaxRecurrent units for the temporal network.
func checkRecurrent(o CNNOptions) error {
	switch {
	case o.Recurrent == 0:
		return nil
	case o.Recurrent < 0 || o.Recurrent > nn.MaxRecurrent:
		return &OptionError{"cnn-recurrent", o.Recurrent, fmt.Sprintf("0 to %d", nn.MaxRecurrent)}
	case o.Arch != CNNArchTemporal:
		return &OptionError{"cnn-recurrent", o.Recurrent, "0 unless the architecture is " + CNNArchTemporal}
	}
	return nil
}

// networkInput returns the input shape of a network of architecture a
// ("" or CNNArch2D, or CNNArchTemporal) over images of rows x cols.
func networkInput(a string, rows, cols int) nn.Shape {
	if a == CNNArchTemporal {
		return nn.Shape{C: rows, H: 1, W: cols}
	}
	return nn.Shape{C: 1, H: rows, W: cols}
}

// archName names the architecture of network a: CNNArchTemporal for a
// 1-D network, else CNNArch2D.
func archName(a nn.Arch) string {
	if a.OneD {
		return CNNArchTemporal
	}
	return CNNArch2D
}

// checkTemporalImage checks that a new temporal network of blocks blocks
// can read images of rows x cols: at most nn.MaxChannel rows (its
// channels) and columns that survive the blocks' strides and pooling of
// 2.
func checkTemporalImage(rows, cols, blocks int) error {
	if rows > nn.MaxChannel {
		return fmt.Errorf("the temporal network reads each image row as a channel: at most %d rows, not %d", nn.MaxChannel, rows)
	}
	least := 1 << blocks
	for i, s := range temporalStrides {
		if i < blocks {
			least *= s
		}
	}
	if cols < least {
		return fmt.Errorf("the temporal network's %d blocks of pooling by 2 (and strides %v) need images of at least %d columns, not %d",
			blocks, temporalStrides, least, cols)
	}
	return nil
}

// Arch names the architecture of the network: CNNArch2D or
// CNNArchTemporal.
func (c *CNN) Arch() string { return archName(c.Net.Arch) }

// ImageSize returns the rows and columns of the images the network reads.
func (c *CNN) ImageSize() (rows, cols int) {
	in := c.Net.Arch.In
	if c.Net.Arch.OneD {
		return in.C, in.W
	}
	return in.H, in.W
}
