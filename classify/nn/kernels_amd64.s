//go:build !purego

#include "textflag.h"

// The AVX2 kernels of kernels.go (see corrGo and dotGo, their
// references). Every term is a VMULPD (rounded product) then a VADDPD
// (rounded sum), never a fused multiply-add, and each output's terms are
// added in the reference's order, so that the results are the same bits.
// The loops over registers are written out (a tile of 8 vectors is 8
// lines); kernels_test.go and FuzzKernels hold each kernel to its Go
// reference.

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// 0, 1, ..., 15: the lanes of the masks of corr's last outputs.
DATA iota<>+0(SB)/8, $0
DATA iota<>+8(SB)/8, $1
DATA iota<>+16(SB)/8, $2
DATA iota<>+24(SB)/8, $3
DATA iota<>+32(SB)/8, $4
DATA iota<>+40(SB)/8, $5
DATA iota<>+48(SB)/8, $6
DATA iota<>+56(SB)/8, $7
DATA iota<>+64(SB)/8, $8
DATA iota<>+72(SB)/8, $9
DATA iota<>+80(SB)/8, $10
DATA iota<>+88(SB)/8, $11
DATA iota<>+96(SB)/8, $12
DATA iota<>+104(SB)/8, $13
DATA iota<>+112(SB)/8, $14
DATA iota<>+120(SB)/8, $15
GLOBL iota<>(SB), RODATA|NOPTR, $128

// func corrAVX2(dst, in, w *float64, n, na, ia, wa, nb, ib, wb, nk, ik int)
//
// Outputs in tiles of 32 and 16 kept in registers (Y0-Y7) across all
// taps, then the last 1 to 15 in 1, 2 or 4 vectors with masked loads and
// stores (Y4-Y7 the masks; masked-off lanes are neither read nor
// written). Registers: DI dst tile, SI in tile, CX outputs left, R9 the
// weight, R10/R11 row a (pointer, count), R12/R13 row b, AX/BX tap k, R8
// ik, DX ib, R15 ia (bytes), R14 the weight step from one a to the next
// after its nb rows, wstep the step from one b to the next after its nk
// weights.
TEXT ·corrAVX2(SB), NOSPLIT, $8-96
	MOVQ dst+0(FP), DI
	MOVQ in+8(FP), SI
	MOVQ n+24(FP), CX
	MOVQ ik+88(FP), R8
	SHLQ $3, R8
	MOVQ ib+64(FP), DX
	SHLQ $3, DX
	MOVQ ia+40(FP), R15
	SHLQ $3, R15
	MOVQ wb+72(FP), R14
	SUBQ nk+80(FP), R14
	SHLQ $3, R14
	MOVQ R14, wstep-8(SP)
	MOVQ nb+56(FP), R14
	IMULQ wb+72(FP), R14
	NEGQ R14
	ADDQ wa+48(FP), R14
	SHLQ $3, R14
tile8:
	CMPQ CX, $32
	JLT tile4
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	VMOVUPD 128(DI), Y4
	VMOVUPD 160(DI), Y5
	VMOVUPD 192(DI), Y6
	VMOVUPD 224(DI), Y7
	MOVQ w+16(FP), R9
	MOVQ SI, R10
	MOVQ na+32(FP), R11
av8:
	MOVQ R10, R12
	MOVQ nb+56(FP), R13
bv8:
	MOVQ R12, AX
	MOVQ nk+80(FP), BX
kv8:
	VBROADCASTSD (R9), Y15
	VMULPD 0(AX), Y15, Y8
	VADDPD Y8, Y0, Y0
	VMULPD 32(AX), Y15, Y9
	VADDPD Y9, Y1, Y1
	VMULPD 64(AX), Y15, Y10
	VADDPD Y10, Y2, Y2
	VMULPD 96(AX), Y15, Y11
	VADDPD Y11, Y3, Y3
	VMULPD 128(AX), Y15, Y12
	VADDPD Y12, Y4, Y4
	VMULPD 160(AX), Y15, Y13
	VADDPD Y13, Y5, Y5
	VMULPD 192(AX), Y15, Y14
	VADDPD Y14, Y6, Y6
	VMULPD 224(AX), Y15, Y8
	VADDPD Y8, Y7, Y7
	ADDQ $8, R9
	ADDQ R8, AX
	DECQ BX
	JNZ kv8
	ADDQ wstep-8(SP), R9
	ADDQ DX, R12
	DECQ R13
	JNZ bv8
	ADDQ R14, R9
	ADDQ R15, R10
	DECQ R11
	JNZ av8
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 128(DI)
	VMOVUPD Y5, 160(DI)
	VMOVUPD Y6, 192(DI)
	VMOVUPD Y7, 224(DI)
	ADDQ $256, DI
	ADDQ $256, SI
	SUBQ $32, CX
	JMP tile8
tile4:
	CMPQ CX, $16
	JLT tailm
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	MOVQ w+16(FP), R9
	MOVQ SI, R10
	MOVQ na+32(FP), R11
av4:
	MOVQ R10, R12
	MOVQ nb+56(FP), R13
bv4:
	MOVQ R12, AX
	MOVQ nk+80(FP), BX
kv4:
	VBROADCASTSD (R9), Y15
	VMULPD 0(AX), Y15, Y8
	VADDPD Y8, Y0, Y0
	VMULPD 32(AX), Y15, Y9
	VADDPD Y9, Y1, Y1
	VMULPD 64(AX), Y15, Y10
	VADDPD Y10, Y2, Y2
	VMULPD 96(AX), Y15, Y11
	VADDPD Y11, Y3, Y3
	ADDQ $8, R9
	ADDQ R8, AX
	DECQ BX
	JNZ kv4
	ADDQ wstep-8(SP), R9
	ADDQ DX, R12
	DECQ R13
	JNZ bv4
	ADDQ R14, R9
	ADDQ R15, R10
	DECQ R11
	JNZ av4
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ $128, DI
	ADDQ $128, SI
	SUBQ $16, CX
	JMP tile4
tailm:
	TESTQ CX, CX
	JZ corrdone
	MOVQ CX, X15
	VPBROADCASTQ X15, Y15
	CMPQ CX, $4
	JLE tailm1
	CMPQ CX, $8
	JLE tailm2
tailm4:
	VPCMPGTQ iota<>+0(SB), Y15, Y4
	VPCMPGTQ iota<>+32(SB), Y15, Y5
	VPCMPGTQ iota<>+64(SB), Y15, Y6
	VPCMPGTQ iota<>+96(SB), Y15, Y7
	VMASKMOVPD 0(DI), Y4, Y0
	VMASKMOVPD 32(DI), Y5, Y1
	VMASKMOVPD 64(DI), Y6, Y2
	VMASKMOVPD 96(DI), Y7, Y3
	MOVQ w+16(FP), R9
	MOVQ SI, R10
	MOVQ na+32(FP), R11
am4:
	MOVQ R10, R12
	MOVQ nb+56(FP), R13
bm4:
	MOVQ R12, AX
	MOVQ nk+80(FP), BX
km4:
	VBROADCASTSD (R9), Y15
	VMASKMOVPD 0(AX), Y4, Y8
	VMULPD Y8, Y15, Y8
	VADDPD Y8, Y0, Y0
	VMASKMOVPD 32(AX), Y5, Y9
	VMULPD Y9, Y15, Y9
	VADDPD Y9, Y1, Y1
	VMASKMOVPD 64(AX), Y6, Y10
	VMULPD Y10, Y15, Y10
	VADDPD Y10, Y2, Y2
	VMASKMOVPD 96(AX), Y7, Y11
	VMULPD Y11, Y15, Y11
	VADDPD Y11, Y3, Y3
	ADDQ $8, R9
	ADDQ R8, AX
	DECQ BX
	JNZ km4
	ADDQ wstep-8(SP), R9
	ADDQ DX, R12
	DECQ R13
	JNZ bm4
	ADDQ R14, R9
	ADDQ R15, R10
	DECQ R11
	JNZ am4
	VMASKMOVPD Y0, Y4, 0(DI)
	VMASKMOVPD Y1, Y5, 32(DI)
	VMASKMOVPD Y2, Y6, 64(DI)
	VMASKMOVPD Y3, Y7, 96(DI)
	JMP corrdone
tailm2:
	VPCMPGTQ iota<>+0(SB), Y15, Y4
	VPCMPGTQ iota<>+32(SB), Y15, Y5
	VMASKMOVPD 0(DI), Y4, Y0
	VMASKMOVPD 32(DI), Y5, Y1
	MOVQ w+16(FP), R9
	MOVQ SI, R10
	MOVQ na+32(FP), R11
am2:
	MOVQ R10, R12
	MOVQ nb+56(FP), R13
bm2:
	MOVQ R12, AX
	MOVQ nk+80(FP), BX
km2:
	VBROADCASTSD (R9), Y15
	VMASKMOVPD 0(AX), Y4, Y8
	VMULPD Y8, Y15, Y8
	VADDPD Y8, Y0, Y0
	VMASKMOVPD 32(AX), Y5, Y9
	VMULPD Y9, Y15, Y9
	VADDPD Y9, Y1, Y1
	ADDQ $8, R9
	ADDQ R8, AX
	DECQ BX
	JNZ km2
	ADDQ wstep-8(SP), R9
	ADDQ DX, R12
	DECQ R13
	JNZ bm2
	ADDQ R14, R9
	ADDQ R15, R10
	DECQ R11
	JNZ am2
	VMASKMOVPD Y0, Y4, 0(DI)
	VMASKMOVPD Y1, Y5, 32(DI)
	JMP corrdone
tailm1:
	VPCMPGTQ iota<>+0(SB), Y15, Y4
	VMASKMOVPD 0(DI), Y4, Y0
	MOVQ w+16(FP), R9
	MOVQ SI, R10
	MOVQ na+32(FP), R11
am1:
	MOVQ R10, R12
	MOVQ nb+56(FP), R13
bm1:
	MOVQ R12, AX
	MOVQ nk+80(FP), BX
km1:
	VBROADCASTSD (R9), Y15
	VMASKMOVPD 0(AX), Y4, Y8
	VMULPD Y8, Y15, Y8
	VADDPD Y8, Y0, Y0
	ADDQ $8, R9
	ADDQ R8, AX
	DECQ BX
	JNZ km1
	ADDQ wstep-8(SP), R9
	ADDQ DX, R12
	DECQ R13
	JNZ bm1
	ADDQ R14, R9
	ADDQ R15, R10
	DECQ R11
	JNZ am1
	VMASKMOVPD Y0, Y4, 0(DI)
	JMP corrdone
corrdone:
	VZEROUPPER
	RET

// func corrPairAVX2(dst, in, w *float64, n, na, ia, wa, nb, ib, wb, nk, ik, dstride, wstride int)
//
// corrAVX2 for two outputs at once, dst and dst+dstride with the weights
// w and w+wstride, on the same inputs (each input load feeds both), in
// tiles of 16, then the last 1 to 15 in 1, 2 or 4 vectors with masked
// loads and stores (Y8-Y11 the masks): Y0-Y3 the first, Y4-Y7 the
// second. Registers as corrAVX2's, with R14 wstride and astep on the
// stack.
TEXT ·corrPairAVX2(SB), NOSPLIT, $16-112
	MOVQ dst+0(FP), DI
	MOVQ in+8(FP), SI
	MOVQ n+24(FP), CX
	MOVQ ik+88(FP), R8
	SHLQ $3, R8
	MOVQ ib+64(FP), DX
	SHLQ $3, DX
	MOVQ ia+40(FP), R15
	SHLQ $3, R15
	MOVQ wb+72(FP), R14
	SUBQ nk+80(FP), R14
	SHLQ $3, R14
	MOVQ R14, wstep-8(SP)
	MOVQ nb+56(FP), R14
	IMULQ wb+72(FP), R14
	NEGQ R14
	ADDQ wa+48(FP), R14
	SHLQ $3, R14
	MOVQ R14, astep-16(SP)
	MOVQ wstride+104(FP), R14
	SHLQ $3, R14
pairtile:
	CMPQ CX, $16
	JLT pairtail
	MOVQ dstride+96(FP), BX
	SHLQ $3, BX
	VMOVUPD 0(DI), Y0
	VMOVUPD 32(DI), Y1
	VMOVUPD 64(DI), Y2
	VMOVUPD 96(DI), Y3
	VMOVUPD 0(DI)(BX*1), Y4
	VMOVUPD 32(DI)(BX*1), Y5
	VMOVUPD 64(DI)(BX*1), Y6
	VMOVUPD 96(DI)(BX*1), Y7
	MOVQ w+16(FP), R9
	MOVQ SI, R10
	MOVQ na+32(FP), R11
ap:
	MOVQ R10, R12
	MOVQ nb+56(FP), R13
bp:
	MOVQ R12, AX
	MOVQ nk+80(FP), BX
kp:
	VBROADCASTSD (R9), Y12
	VBROADCASTSD (R9)(R14*1), Y13
	VMOVUPD 0(AX), Y8
	VMOVUPD 32(AX), Y9
	VMOVUPD 64(AX), Y10
	VMOVUPD 96(AX), Y11
	VMULPD Y8, Y12, Y14
	VADDPD Y14, Y0, Y0
	VMULPD Y9, Y12, Y15
	VADDPD Y15, Y1, Y1
	VMULPD Y10, Y12, Y14
	VADDPD Y14, Y2, Y2
	VMULPD Y11, Y12, Y15
	VADDPD Y15, Y3, Y3
	VMULPD Y8, Y13, Y14
	VADDPD Y14, Y4, Y4
	VMULPD Y9, Y13, Y15
	VADDPD Y15, Y5, Y5
	VMULPD Y10, Y13, Y14
	VADDPD Y14, Y6, Y6
	VMULPD Y11, Y13, Y15
	VADDPD Y15, Y7, Y7
	ADDQ $8, R9
	ADDQ R8, AX
	DECQ BX
	JNZ kp
	ADDQ wstep-8(SP), R9
	ADDQ DX, R12
	DECQ R13
	JNZ bp
	ADDQ astep-16(SP), R9
	ADDQ R15, R10
	DECQ R11
	JNZ ap
	MOVQ dstride+96(FP), BX
	SHLQ $3, BX
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	VMOVUPD Y4, 0(DI)(BX*1)
	VMOVUPD Y5, 32(DI)(BX*1)
	VMOVUPD Y6, 64(DI)(BX*1)
	VMOVUPD Y7, 96(DI)(BX*1)
	ADDQ $128, DI
	ADDQ $128, SI
	SUBQ $16, CX
	JMP pairtile
pairtail:
	TESTQ CX, CX
	JZ pairdone
	MOVQ dstride+96(FP), BX
	SHLQ $3, BX
	MOVQ CX, X15
	VPBROADCASTQ X15, Y15
	CMPQ CX, $4
	JLE pairm1
	CMPQ CX, $8
	JLE pairm2
pairm4:
	VPCMPGTQ iota<>+0(SB), Y15, Y8
	VPCMPGTQ iota<>+32(SB), Y15, Y9
	VPCMPGTQ iota<>+64(SB), Y15, Y10
	VPCMPGTQ iota<>+96(SB), Y15, Y11
	VMASKMOVPD 0(DI), Y8, Y0
	VMASKMOVPD 0(DI)(BX*1), Y8, Y4
	VMASKMOVPD 32(DI), Y9, Y1
	VMASKMOVPD 32(DI)(BX*1), Y9, Y5
	VMASKMOVPD 64(DI), Y10, Y2
	VMASKMOVPD 64(DI)(BX*1), Y10, Y6
	VMASKMOVPD 96(DI), Y11, Y3
	VMASKMOVPD 96(DI)(BX*1), Y11, Y7
	MOVQ w+16(FP), R9
	MOVQ SI, R10
	MOVQ na+32(FP), R11
appairm4:
	MOVQ R10, R12
	MOVQ nb+56(FP), R13
bppairm4:
	MOVQ R12, AX
	MOVQ nk+80(FP), BX
kppairm4:
	VBROADCASTSD (R9), Y12
	VBROADCASTSD (R9)(R14*1), Y13
	VMASKMOVPD 0(AX), Y8, Y14
	VMULPD Y14, Y12, Y15
	VADDPD Y15, Y0, Y0
	VMULPD Y14, Y13, Y15
	VADDPD Y15, Y4, Y4
	VMASKMOVPD 32(AX), Y9, Y14
	VMULPD Y14, Y12, Y15
	VADDPD Y15, Y1, Y1
	VMULPD Y14, Y13, Y15
	VADDPD Y15, Y5, Y5
	VMASKMOVPD 64(AX), Y10, Y14
	VMULPD Y14, Y12, Y15
	VADDPD Y15, Y2, Y2
	VMULPD Y14, Y13, Y15
	VADDPD Y15, Y6, Y6
	VMASKMOVPD 96(AX), Y11, Y14
	VMULPD Y14, Y12, Y15
	VADDPD Y15, Y3, Y3
	VMULPD Y14, Y13, Y15
	VADDPD Y15, Y7, Y7
	ADDQ $8, R9
	ADDQ R8, AX
	DECQ BX
	JNZ kppairm4
	ADDQ wstep-8(SP), R9
	ADDQ DX, R12
	DECQ R13
	JNZ bppairm4
	ADDQ astep-16(SP), R9
	ADDQ R15, R10
	DECQ R11
	JNZ appairm4
	MOVQ dstride+96(FP), BX
	SHLQ $3, BX
	VMASKMOVPD Y0, Y8, 0(DI)
	VMASKMOVPD Y4, Y8, 0(DI)(BX*1)
	VMASKMOVPD Y1, Y9, 32(DI)
	VMASKMOVPD Y5, Y9, 32(DI)(BX*1)
	VMASKMOVPD Y2, Y10, 64(DI)
	VMASKMOVPD Y6, Y10, 64(DI)(BX*1)
	VMASKMOVPD Y3, Y11, 96(DI)
	VMASKMOVPD Y7, Y11, 96(DI)(BX*1)
	JMP pairdone
pairm2:
	VPCMPGTQ iota<>+0(SB), Y15, Y8
	VPCMPGTQ iota<>+32(SB), Y15, Y9
	VMASKMOVPD 0(DI), Y8, Y0
	VMASKMOVPD 0(DI)(BX*1), Y8, Y4
	VMASKMOVPD 32(DI), Y9, Y1
	VMASKMOVPD 32(DI)(BX*1), Y9, Y5
	MOVQ w+16(FP), R9
	MOVQ SI, R10
	MOVQ na+32(FP), R11
appairm2:
	MOVQ R10, R12
	MOVQ nb+56(FP), R13
bppairm2:
	MOVQ R12, AX
	MOVQ nk+80(FP), BX
kppairm2:
	VBROADCASTSD (R9), Y12
	VBROADCASTSD (R9)(R14*1), Y13
	VMASKMOVPD 0(AX), Y8, Y14
	VMULPD Y14, Y12, Y15
	VADDPD Y15, Y0, Y0
	VMULPD Y14, Y13, Y15
	VADDPD Y15, Y4, Y4
	VMASKMOVPD 32(AX), Y9, Y14
	VMULPD Y14, Y12, Y15
	VADDPD Y15, Y1, Y1
	VMULPD Y14, Y13, Y15
	VADDPD Y15, Y5, Y5
	ADDQ $8, R9
	ADDQ R8, AX
	DECQ BX
	JNZ kppairm2
	ADDQ wstep-8(SP), R9
	ADDQ DX, R12
	DECQ R13
	JNZ bppairm2
	ADDQ astep-16(SP), R9
	ADDQ R15, R10
	DECQ R11
	JNZ appairm2
	MOVQ dstride+96(FP), BX
	SHLQ $3, BX
	VMASKMOVPD Y0, Y8, 0(DI)
	VMASKMOVPD Y4, Y8, 0(DI)(BX*1)
	VMASKMOVPD Y1, Y9, 32(DI)
	VMASKMOVPD Y5, Y9, 32(DI)(BX*1)
	JMP pairdone
pairm1:
	VPCMPGTQ iota<>+0(SB), Y15, Y8
	VMASKMOVPD 0(DI), Y8, Y0
	VMASKMOVPD 0(DI)(BX*1), Y8, Y4
	MOVQ w+16(FP), R9
	MOVQ SI, R10
	MOVQ na+32(FP), R11
appairm1:
	MOVQ R10, R12
	MOVQ nb+56(FP), R13
bppairm1:
	MOVQ R12, AX
	MOVQ nk+80(FP), BX
kppairm1:
	VBROADCASTSD (R9), Y12
	VBROADCASTSD (R9)(R14*1), Y13
	VMASKMOVPD 0(AX), Y8, Y14
	VMULPD Y14, Y12, Y15
	VADDPD Y15, Y0, Y0
	VMULPD Y14, Y13, Y15
	VADDPD Y15, Y4, Y4
	ADDQ $8, R9
	ADDQ R8, AX
	DECQ BX
	JNZ kppairm1
	ADDQ wstep-8(SP), R9
	ADDQ DX, R12
	DECQ R13
	JNZ bppairm1
	ADDQ astep-16(SP), R9
	ADDQ R15, R10
	DECQ R11
	JNZ appairm1
	MOVQ dstride+96(FP), BX
	SHLQ $3, BX
	VMASKMOVPD Y0, Y8, 0(DI)
	VMASKMOVPD Y4, Y8, 0(DI)(BX*1)
	JMP pairdone
pairdone:
	VZEROUPPER
	RET

// Lane 0 zero, lanes 1-3 negative zero: ORed into a product in lane 0
// (and zeros above) it makes a vector that adds the product to lane 0
// and leaves the other lanes exactly as they are (x + -0 is x).
DATA lane0<>+0(SB)/8, $0x0000000000000000
DATA lane0<>+8(SB)/8, $0x8000000000000000
DATA lane0<>+16(SB)/8, $0x8000000000000000
DATA lane0<>+24(SB)/8, $0x8000000000000000
GLOBL lane0<>(SB), RODATA|NOPTR, $32

// REDUCE stores (a0+a1)+(a2+a3) of the four lanes of Y (X its low half).
#define REDUCE(Y, X, dst) \
	VEXTRACTF128 $1, Y, X12; \
	VUNPCKLPD X12, X, X13; \
	VUNPCKHPD X12, X, X14; \
	VADDPD X14, X13, X13; \
	VUNPCKHPD X13, X13, X14; \
	VADDSD X14, X13, X13; \
	VMOVSD X13, dst

// func dot8AVX2(res *[8]float64, d, s *float64, n, rows, rs, fs int)
//
// The 8 dot products of dot, one accumulator of four lanes each
// (Y0-Y7). Registers: DI (and SI: run 4) the runs of d, DX s, R8 fs
// and R9 3*fs (bytes), R10 rows left, R11 values left, R12 the step from
// a row's end to the next row.
TEXT ·dot8AVX2(SB), NOSPLIT, $0-56
	MOVQ d+8(FP), DI
	MOVQ s+16(FP), DX
	MOVQ fs+48(FP), R8
	SHLQ $3, R8
	LEAQ (R8)(R8*2), R9
	LEAQ (DI)(R8*4), SI
	MOVQ rs+40(FP), R12
	SUBQ n+24(FP), R12
	SHLQ $3, R12
	MOVQ rows+32(FP), R10
	VMOVUPD lane0<>(SB), Y11
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
row8:
	MOVQ n+24(FP), R11
	SHRQ $2, R11
	JZ tails8
vec8:
	VMOVUPD (DX), Y8
	VMULPD (DI), Y8, Y9
	VADDPD Y9, Y0, Y0
	VMULPD (DI)(R8*1), Y8, Y10
	VADDPD Y10, Y1, Y1
	VMULPD (DI)(R8*2), Y8, Y9
	VADDPD Y9, Y2, Y2
	VMULPD (DI)(R9*1), Y8, Y10
	VADDPD Y10, Y3, Y3
	VMULPD (SI), Y8, Y9
	VADDPD Y9, Y4, Y4
	VMULPD (SI)(R8*1), Y8, Y10
	VADDPD Y10, Y5, Y5
	VMULPD (SI)(R8*2), Y8, Y9
	VADDPD Y9, Y6, Y6
	VMULPD (SI)(R9*1), Y8, Y10
	VADDPD Y10, Y7, Y7
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	DECQ R11
	JNZ vec8
tails8:
	MOVQ n+24(FP), R11
	ANDQ $3, R11
	JZ rowend8
tail8:
	VMOVSD (DX), X8
	VMULSD (DI), X8, X9
	VORPD Y11, Y9, Y9
	VADDPD Y9, Y0, Y0
	VMULSD (DI)(R8*1), X8, X10
	VORPD Y11, Y10, Y10
	VADDPD Y10, Y1, Y1
	VMULSD (DI)(R8*2), X8, X9
	VORPD Y11, Y9, Y9
	VADDPD Y9, Y2, Y2
	VMULSD (DI)(R9*1), X8, X10
	VORPD Y11, Y10, Y10
	VADDPD Y10, Y3, Y3
	VMULSD (SI), X8, X9
	VORPD Y11, Y9, Y9
	VADDPD Y9, Y4, Y4
	VMULSD (SI)(R8*1), X8, X10
	VORPD Y11, Y10, Y10
	VADDPD Y10, Y5, Y5
	VMULSD (SI)(R8*2), X8, X9
	VORPD Y11, Y9, Y9
	VADDPD Y9, Y6, Y6
	VMULSD (SI)(R9*1), X8, X10
	VORPD Y11, Y10, Y10
	VADDPD Y10, Y7, Y7
	ADDQ $8, DI
	ADDQ $8, SI
	ADDQ $8, DX
	DECQ R11
	JNZ tail8
rowend8:
	ADDQ R12, DI
	ADDQ R12, SI
	ADDQ R12, DX
	DECQ R10
	JNZ row8
	MOVQ res+0(FP), AX
	REDUCE(Y0, X0, 0(AX))
	REDUCE(Y1, X1, 8(AX))
	REDUCE(Y2, X2, 16(AX))
	REDUCE(Y3, X3, 24(AX))
	REDUCE(Y4, X4, 32(AX))
	REDUCE(Y5, X5, 40(AX))
	REDUCE(Y6, X6, 48(AX))
	REDUCE(Y7, X7, 56(AX))
	VZEROUPPER
	RET

// func dot4AVX2(res *[4]float64, d, s *float64, n, rows, rs, fs int)
//
// The 4 dot products of dot, one accumulator of four lanes each
// (Y0-Y3). Registers: DI (and SI: run 4) the runs of d, DX s, R8 fs
// and R9 3*fs (bytes), R10 rows left, R11 values left, R12 the step from
// a row's end to the next row.
TEXT ·dot4AVX2(SB), NOSPLIT, $0-56
	MOVQ d+8(FP), DI
	MOVQ s+16(FP), DX
	MOVQ fs+48(FP), R8
	SHLQ $3, R8
	LEAQ (R8)(R8*2), R9
	LEAQ (DI)(R8*4), SI
	MOVQ rs+40(FP), R12
	SUBQ n+24(FP), R12
	SHLQ $3, R12
	MOVQ rows+32(FP), R10
	VMOVUPD lane0<>(SB), Y11
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
row4:
	MOVQ n+24(FP), R11
	SHRQ $2, R11
	JZ tails4
vec4:
	VMOVUPD (DX), Y8
	VMULPD (DI), Y8, Y9
	VADDPD Y9, Y0, Y0
	VMULPD (DI)(R8*1), Y8, Y10
	VADDPD Y10, Y1, Y1
	VMULPD (DI)(R8*2), Y8, Y9
	VADDPD Y9, Y2, Y2
	VMULPD (DI)(R9*1), Y8, Y10
	VADDPD Y10, Y3, Y3
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	DECQ R11
	JNZ vec4
tails4:
	MOVQ n+24(FP), R11
	ANDQ $3, R11
	JZ rowend4
tail4:
	VMOVSD (DX), X8
	VMULSD (DI), X8, X9
	VORPD Y11, Y9, Y9
	VADDPD Y9, Y0, Y0
	VMULSD (DI)(R8*1), X8, X10
	VORPD Y11, Y10, Y10
	VADDPD Y10, Y1, Y1
	VMULSD (DI)(R8*2), X8, X9
	VORPD Y11, Y9, Y9
	VADDPD Y9, Y2, Y2
	VMULSD (DI)(R9*1), X8, X10
	VORPD Y11, Y10, Y10
	VADDPD Y10, Y3, Y3
	ADDQ $8, DI
	ADDQ $8, SI
	ADDQ $8, DX
	DECQ R11
	JNZ tail4
rowend4:
	ADDQ R12, DI
	ADDQ R12, SI
	ADDQ R12, DX
	DECQ R10
	JNZ row4
	MOVQ res+0(FP), AX
	REDUCE(Y0, X0, 0(AX))
	REDUCE(Y1, X1, 8(AX))
	REDUCE(Y2, X2, 16(AX))
	REDUCE(Y3, X3, 24(AX))
	VZEROUPPER
	RET


// The max poolings of 2 and 2x2 (pool2Max and the others in kernels.go):
// four outputs at a time. A
// window's values are taken in order, each replacing the maximum so far
// only when greater: VMAXPD v, m (v first) is exactly that (v when v > m,
// else m, also when either is NaN or both are zeros). Pairs of inputs are
// split into their first and second values with VUNPCKLPD/VUNPCKHPD,
// which leaves the windows in the order 0, 2, 1, 3 (VPERMPD $0xD8 puts
// them back, and back again).

// SPLIT loads the 8 values at p into the first (E) and second (O) values
// of four pairs, windows in the order 0, 2, 1, 3.
#define SPLIT(p, E, O) \
	VMOVUPD (p), E; \
	VMOVUPD 32(p), Y15; \
	VUNPCKHPD Y15, E, O; \
	VUNPCKLPD Y15, E, E

// JOIN stores the first (E) and second (O) values of four pairs, windows
// in the order 0, 2, 1, 3, as the 8 values at p.
#define JOIN(E, O, p) \
	VUNPCKLPD O, E, Y15; \
	VMOVUPD Y15, (p); \
	VUNPCKHPD O, E, Y15; \
	VMOVUPD Y15, 32(p)

// func pool2MaxAVX2(out, in *float64, n int)
TEXT ·pool2MaxAVX2(SB), NOSPLIT, $0-24
	MOVQ out+0(FP), DI
	MOVQ in+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ p2done
p2loop:
	SPLIT(SI, Y0, Y1)
	VMAXPD Y0, Y1, Y2
	VPERMPD $0xD8, Y2, Y2
	VMOVUPD Y2, (DI)
	ADDQ $32, DI
	ADDQ $64, SI
	DECQ CX
	JNZ p2loop
p2done:
	VZEROUPPER
	RET

// func pool2MaxBackAVX2(din, in, dout *float64, n int)
//
// din gets 0 + dout (as the zero the gradient was cleared to plus it)
// at the first maximum of each pair and zero at the other.
TEXT ·pool2MaxBackAVX2(SB), NOSPLIT, $0-32
	MOVQ din+0(FP), DI
	MOVQ in+8(FP), SI
	MOVQ dout+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $2, CX
	JZ p2bdone
	VXORPD Y14, Y14, Y14
p2bloop:
	SPLIT(SI, Y0, Y1)
	VCMPPD $0x1e, Y0, Y1, Y2
	VPERMPD $0xD8, (DX), Y3
	VADDPD Y3, Y14, Y3
	VANDPD Y3, Y2, Y5
	VANDNPD Y3, Y2, Y4
	JOIN(Y4, Y5, DI)
	ADDQ $64, DI
	ADDQ $64, SI
	ADDQ $32, DX
	DECQ CX
	JNZ p2bloop
p2bdone:
	VZEROUPPER
	RET

// func pool2x2MaxAVX2(out, in0, in1 *float64, n int)
//
// Windows of the pairs of in0 then those of in1 below them.
TEXT ·pool2x2MaxAVX2(SB), NOSPLIT, $0-32
	MOVQ out+0(FP), DI
	MOVQ in0+8(FP), SI
	MOVQ in1+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $2, CX
	JZ p22done
p22loop:
	SPLIT(SI, Y0, Y1)
	SPLIT(DX, Y2, Y3)
	VMAXPD Y0, Y1, Y4
	VMAXPD Y4, Y2, Y4
	VMAXPD Y4, Y3, Y4
	VPERMPD $0xD8, Y4, Y4
	VMOVUPD Y4, (DI)
	ADDQ $32, DI
	ADDQ $64, SI
	ADDQ $64, DX
	DECQ CX
	JNZ p22loop
p22done:
	VZEROUPPER
	RET

// func pool2x2MaxBackAVX2(din0, din1, in0, in1, dout *float64, n int)
//
// Masks of the window's values a, b (in0), c, d (in1): g1 = b > a,
// g2 = c > max(a, b), g3 = d > max(a, b, c); d wins on g3, c on g2 and
// not g3, b on g1 and neither, a on none.
TEXT ·pool2x2MaxBackAVX2(SB), NOSPLIT, $0-48
	MOVQ din0+0(FP), DI
	MOVQ din1+8(FP), R8
	MOVQ in0+16(FP), SI
	MOVQ in1+24(FP), DX
	MOVQ dout+32(FP), R9
	MOVQ n+40(FP), CX
	SHRQ $2, CX
	JZ p22bdone
	VXORPD Y14, Y14, Y14
p22bloop:
	SPLIT(SI, Y0, Y1)
	SPLIT(DX, Y2, Y3)
	VCMPPD $0x1e, Y0, Y1, Y4
	VMAXPD Y0, Y1, Y8
	VCMPPD $0x1e, Y8, Y2, Y5
	VMAXPD Y8, Y2, Y8
	VCMPPD $0x1e, Y8, Y3, Y6
	VPERMPD $0xD8, (R9), Y7
	VADDPD Y7, Y14, Y7
	VANDPD Y7, Y6, Y11
	VANDNPD Y7, Y6, Y7
	VANDPD Y7, Y5, Y10
	VANDNPD Y7, Y5, Y7
	VANDPD Y7, Y4, Y9
	VANDNPD Y7, Y4, Y8
	JOIN(Y8, Y9, DI)
	JOIN(Y10, Y11, R8)
	ADDQ $64, DI
	ADDQ $64, R8
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $32, R9
	DECQ CX
	JNZ p22bloop
p22bdone:
	VZEROUPPER
	RET


// func reluAVX2(out, in *float64, n int)
//
// out = max(in, 0) as Go's max: VMAXPD in, 0 with 0 first gives 0 when
// 0 > in, else in (NaN included), and adding +0 turns a -0 into +0.
TEXT ·reluAVX2(SB), NOSPLIT, $0-24
	MOVQ out+0(FP), DI
	MOVQ in+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ reludone
	VXORPD Y15, Y15, Y15
reluloop:
	VMOVUPD (SI), Y0
	VMAXPD Y0, Y15, Y0
	VADDPD Y15, Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	DECQ CX
	JNZ reluloop
reludone:
	VZEROUPPER
	RET

// func reluBackAVX2(din, out, dout *float64, n int)
//
// din = dout where out > 0, else +0.
TEXT ·reluBackAVX2(SB), NOSPLIT, $0-32
	MOVQ din+0(FP), DI
	MOVQ out+8(FP), SI
	MOVQ dout+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $2, CX
	JZ relubdone
	VXORPD Y15, Y15, Y15
relubloop:
	VMOVUPD (SI), Y0
	VCMPPD $0x1e, Y15, Y0, Y0
	VANDPD (DX), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	DECQ CX
	JNZ relubloop
relubdone:
	VZEROUPPER
	RET

// func dot4x2AVX2(res *[8]float64, d, s *float64, n, rows, rs, fs, cs int)
//
// The dot products of dot of four runs of d (fs apart) with two runs of
// s (cs apart: two input channels), res[2f+c]: each load of d feeds two
// products. Registers: DI the runs of d, DX and SI those of s, R8 fs and
// R9 3*fs (bytes), R10 rows left, R11 values left, R12 the step from a
// row's end to the next row; Y0-Y7 the sums, Y8 and Y9 s, Y10 d.
TEXT ·dot4x2AVX2(SB), NOSPLIT, $0-64
	MOVQ d+8(FP), DI
	MOVQ s+16(FP), DX
	MOVQ cs+56(FP), SI
	LEAQ (DX)(SI*8), SI
	MOVQ fs+48(FP), R8
	SHLQ $3, R8
	LEAQ (R8)(R8*2), R9
	MOVQ rs+40(FP), R12
	SUBQ n+24(FP), R12
	SHLQ $3, R12
	MOVQ rows+32(FP), R10
	VMOVUPD lane0<>(SB), Y11
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
row42:
	MOVQ n+24(FP), R11
	SHRQ $2, R11
	JZ tails42
vec42:
	VMOVUPD (DX), Y8
	VMOVUPD (SI), Y9
	VMOVUPD (DI), Y10
	VMULPD Y10, Y8, Y12
	VADDPD Y12, Y0, Y0
	VMULPD Y10, Y9, Y13
	VADDPD Y13, Y1, Y1
	VMOVUPD (DI)(R8*1), Y10
	VMULPD Y10, Y8, Y12
	VADDPD Y12, Y2, Y2
	VMULPD Y10, Y9, Y13
	VADDPD Y13, Y3, Y3
	VMOVUPD (DI)(R8*2), Y10
	VMULPD Y10, Y8, Y12
	VADDPD Y12, Y4, Y4
	VMULPD Y10, Y9, Y13
	VADDPD Y13, Y5, Y5
	VMOVUPD (DI)(R9*1), Y10
	VMULPD Y10, Y8, Y12
	VADDPD Y12, Y6, Y6
	VMULPD Y10, Y9, Y13
	VADDPD Y13, Y7, Y7
	ADDQ $32, DI
	ADDQ $32, DX
	ADDQ $32, SI
	DECQ R11
	JNZ vec42
tails42:
	MOVQ n+24(FP), R11
	ANDQ $3, R11
	JZ rowend42
tail42:
	VMOVSD (DX), X8
	VMOVSD (SI), X9
	VMOVSD (DI), X10
	VMULSD X10, X8, X12
	VORPD Y11, Y12, Y12
	VADDPD Y12, Y0, Y0
	VMULSD X10, X9, X13
	VORPD Y11, Y13, Y13
	VADDPD Y13, Y1, Y1
	VMOVSD (DI)(R8*1), X10
	VMULSD X10, X8, X12
	VORPD Y11, Y12, Y12
	VADDPD Y12, Y2, Y2
	VMULSD X10, X9, X13
	VORPD Y11, Y13, Y13
	VADDPD Y13, Y3, Y3
	VMOVSD (DI)(R8*2), X10
	VMULSD X10, X8, X12
	VORPD Y11, Y12, Y12
	VADDPD Y12, Y4, Y4
	VMULSD X10, X9, X13
	VORPD Y11, Y13, Y13
	VADDPD Y13, Y5, Y5
	VMOVSD (DI)(R9*1), X10
	VMULSD X10, X8, X12
	VORPD Y11, Y12, Y12
	VADDPD Y12, Y6, Y6
	VMULSD X10, X9, X13
	VORPD Y11, Y13, Y13
	VADDPD Y13, Y7, Y7
	ADDQ $8, DI
	ADDQ $8, DX
	ADDQ $8, SI
	DECQ R11
	JNZ tail42
rowend42:
	ADDQ R12, DI
	ADDQ R12, DX
	ADDQ R12, SI
	DECQ R10
	JNZ row42
	MOVQ res+0(FP), AX
	REDUCE(Y0, X0, 0(AX))
	REDUCE(Y1, X1, 8(AX))
	REDUCE(Y2, X2, 16(AX))
	REDUCE(Y3, X3, 24(AX))
	REDUCE(Y4, X4, 32(AX))
	REDUCE(Y5, X5, 40(AX))
	REDUCE(Y6, X6, 48(AX))
	REDUCE(Y7, X7, 56(AX))
	VZEROUPPER
	RET
