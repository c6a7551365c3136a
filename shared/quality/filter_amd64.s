#include "textflag.h"

// Both filters compute, for 32 output columns in steps of 4,
//   k0*c + k1*(p1+m1) + k2*(p2+m2) + k3*(p3+m3) + k4*(p4+m4) + k5*(p5+m5)
// where pi and mi are the inputs i columns (hconv) or rows (vconv) either side
// of the centre c. Two accumulators halve the FMA dependency chain.

// func hconvAVX2(dst, twin *tileRow, src *inRow, k *kern)
TEXT ·hconvAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ twin+8(FP), R8
	MOVQ src+16(FP), SI
	MOVQ k+24(FP), DX
	VBROADCASTSD 0(DX), Y10
	VBROADCASTSD 8(DX), Y11
	VBROADCASTSD 16(DX), Y12
	VBROADCASTSD 24(DX), Y13
	VBROADCASTSD 32(DX), Y14
	VBROADCASTSD 40(DX), Y15
	XORQ CX, CX

hloop:
	// src column x+i is at byte 8*(x+i); the centre is i = 5.
	VMULPD  40(SI)(CX*1), Y10, Y0
	VMOVUPD 32(SI)(CX*1), Y2
	VADDPD  48(SI)(CX*1), Y2, Y2
	VMULPD  Y2, Y11, Y1
	VMOVUPD 24(SI)(CX*1), Y2
	VADDPD  56(SI)(CX*1), Y2, Y2
	VFMADD231PD Y2, Y12, Y0
	VMOVUPD 16(SI)(CX*1), Y3
	VADDPD  64(SI)(CX*1), Y3, Y3
	VFMADD231PD Y3, Y13, Y1
	VMOVUPD 8(SI)(CX*1), Y2
	VADDPD  72(SI)(CX*1), Y2, Y2
	VFMADD231PD Y2, Y14, Y0
	VMOVUPD 0(SI)(CX*1), Y3
	VADDPD  80(SI)(CX*1), Y3, Y3
	VFMADD231PD Y3, Y15, Y1
	VADDPD  Y1, Y0, Y0
	VMOVUPD Y0, (DI)(CX*1)
	VMOVUPD Y0, (R8)(CX*1)
	ADDQ $32, CX
	CMPQ CX, $256
	JLT  hloop
	VZEROUPPER
	RET

// func vconvAVX2(dst *tileRow, w *[ssimWin]tileRow, k *kern)
TEXT ·vconvAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ w+8(FP), SI
	MOVQ k+16(FP), DX
	VBROADCASTSD 0(DX), Y10
	VBROADCASTSD 8(DX), Y11
	VBROADCASTSD 16(DX), Y12
	VBROADCASTSD 24(DX), Y13
	VBROADCASTSD 32(DX), Y14
	VBROADCASTSD 40(DX), Y15
	XORQ CX, CX

vloop:
	// Row i starts at byte 256*i; the centre is row 5.
	VMULPD  1280(SI)(CX*1), Y10, Y0
	VMOVUPD 1024(SI)(CX*1), Y2
	VADDPD  1536(SI)(CX*1), Y2, Y2
	VMULPD  Y2, Y11, Y1
	VMOVUPD 768(SI)(CX*1), Y2
	VADDPD  1792(SI)(CX*1), Y2, Y2
	VFMADD231PD Y2, Y12, Y0
	VMOVUPD 512(SI)(CX*1), Y3
	VADDPD  2048(SI)(CX*1), Y3, Y3
	VFMADD231PD Y3, Y13, Y1
	VMOVUPD 256(SI)(CX*1), Y2
	VADDPD  2304(SI)(CX*1), Y2, Y2
	VFMADD231PD Y2, Y14, Y0
	VMOVUPD 0(SI)(CX*1), Y3
	VADDPD  2560(SI)(CX*1), Y3, Y3
	VFMADD231PD Y3, Y15, Y1
	VADDPD  Y1, Y0, Y0
	VMOVUPD Y0, (DI)(CX*1)
	ADDQ $32, CX
	CMPQ CX, $256
	JLT  vloop
	VZEROUPPER
	RET

// func ssimTileAVX2(ma, mb, msq, mab *tileRow, c *constants) float64
TEXT ·ssimTileAVX2(SB), NOSPLIT, $0-48
	MOVQ ma+0(FP), AX
	MOVQ mb+8(FP), BX
	MOVQ msq+16(FP), CX
	MOVQ mab+24(FP), DX
	MOVQ c+32(FP), SI
	VBROADCASTSD 0(SI), Y14 // C1
	VBROADCASTSD 8(SI), Y15 // C2
	VXORPD Y9, Y9, Y9       // sum
	XORQ DI, DI

sloop:
	VMOVUPD (AX)(DI*1), Y0 // μx
	VMOVUPD (BX)(DI*1), Y1 // μy
	VMULPD  Y1, Y0, Y2     // μxμy
	VMULPD  Y0, Y0, Y3
	VFMADD231PD Y1, Y1, Y3 // μx²+μy²
	VMOVUPD (DX)(DI*1), Y4
	VSUBPD  Y2, Y4, Y4     // σxy
	VADDPD  Y4, Y4, Y4
	VADDPD  Y15, Y4, Y4    // 2σxy + C2
	VADDPD  Y2, Y2, Y2
	VADDPD  Y14, Y2, Y2    // 2μxμy + C1
	VMULPD  Y4, Y2, Y2     // numerator
	VMOVUPD (CX)(DI*1), Y5
	VSUBPD  Y3, Y5, Y5     // σx²+σy²
	VADDPD  Y15, Y5, Y5
	VADDPD  Y14, Y3, Y3
	VMULPD  Y5, Y3, Y3     // denominator
	VDIVPD  Y3, Y2, Y2
	VADDPD  Y2, Y9, Y9
	ADDQ $32, DI
	CMPQ DI, $256
	JLT  sloop
	VEXTRACTF128 $1, Y9, X0
	VADDPD  X0, X9, X0
	VHADDPD X0, X0, X0
	VZEROUPPER
	MOVSD X0, ret+40(FP)
	RET
