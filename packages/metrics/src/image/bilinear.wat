;; WebAssembly kernels of the pytorch-fid preprocessing (ToTensor → torch bilinear resize,
;; align_corners=False → optionally 2x − 1), with exactly the arithmetic of resize-bilinear.ts
;; (torch's float32 rounding: each product of two float32 values is exact in float64, one float64
;; multiply-add, one rounding to float32). Assembled by packages/metrics/bench/build-wasm.mjs
;; (npm "build:wasm", wabt from npm) into bilinear-wasm.ts; bilinear-wasm.test.ts checks that the
;; embedded bytes match this source. The driver is resize-bilinear-wasm.ts. Pointers are byte
;; addresses into the exported memory.
;;
;; hrow(src, xo0, xo1, xw0, xw1, lut, n, out, stride): the horizontal pass of one source row, all
;;   three channels. src points at the row's first RGB byte; xo0/xo1 hold per-output-column byte
;;   offsets of the two source pixels (3·i0, 3·i1), xw0/xw1 their float32 weights; lut maps a byte
;;   to float32(p/255). Channel c goes to out + c·stride (bytes), n float32 values each:
;;   out_c[x] = f32(lut[a]·w0 + f32(lut[b]·w1)).
;; vrow(ta, tb, h0, h1, n, dst, affine): the vertical pass of one output row of one channel:
;;   dst[x] = f32(ta[x]·h0 + f32(tb[x]·h1)), then 2·dst[x] − 1 in float32 when affine ≠ 0.
;;   Four columns per step (float32 products in f32x4, the multiply-add in two f64x2 halves).
(module
  (memory (export "memory") 1 65536)
  (func (export "hrow") (param $src i32) (param $xo0 i32) (param $xo1 i32) (param $xw0 i32) (param $xw1 i32)
    (param $lut i32) (param $n i32) (param $out i32) (param $stride i32)
    (local $x4 i32) (local $end i32) (local $p0 i32) (local $p1 i32) (local $w0 f64) (local $w1 f32) (local $o i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $x4) (local.get $end)))
        (local.set $p0 (i32.add (local.get $src) (i32.load (i32.add (local.get $xo0) (local.get $x4)))))
        (local.set $p1 (i32.add (local.get $src) (i32.load (i32.add (local.get $xo1) (local.get $x4)))))
        (local.set $w0 (f64.promote_f32 (f32.load (i32.add (local.get $xw0) (local.get $x4)))))
        (local.set $w1 (f32.load (i32.add (local.get $xw1) (local.get $x4))))
        (local.set $o (i32.add (local.get $out) (local.get $x4)))
        (f32.store (local.get $o) (f32.demote_f64 (f64.add
          (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $lut) (i32.shl (i32.load8_u (local.get $p0)) (i32.const 2))))) (local.get $w0))
          (f64.promote_f32 (f32.mul (f32.load (i32.add (local.get $lut) (i32.shl (i32.load8_u (local.get $p1)) (i32.const 2)))) (local.get $w1))))))
        (local.set $o (i32.add (local.get $o) (local.get $stride)))
        (f32.store (local.get $o) (f32.demote_f64 (f64.add
          (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $lut) (i32.shl (i32.load8_u offset=1 (local.get $p0)) (i32.const 2))))) (local.get $w0))
          (f64.promote_f32 (f32.mul (f32.load (i32.add (local.get $lut) (i32.shl (i32.load8_u offset=1 (local.get $p1)) (i32.const 2)))) (local.get $w1))))))
        (local.set $o (i32.add (local.get $o) (local.get $stride)))
        (f32.store (local.get $o) (f32.demote_f64 (f64.add
          (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $lut) (i32.shl (i32.load8_u offset=2 (local.get $p0)) (i32.const 2))))) (local.get $w0))
          (f64.promote_f32 (f32.mul (f32.load (i32.add (local.get $lut) (i32.shl (i32.load8_u offset=2 (local.get $p1)) (i32.const 2)))) (local.get $w1))))))
        (local.set $x4 (i32.add (local.get $x4) (i32.const 4)))
        (br $cols))))

  (func (export "vrow") (param $ta i32) (param $tb i32) (param $h0 f32) (param $h1 f32) (param $n i32) (param $dst i32) (param $affine i32)
    (local $x4 i32) (local $end i32) (local $quads i32) (local $h0v v128) (local $h1v v128) (local $one v128)
    (local $p v128) (local $a v128) (local $r v128) (local $v f32)
    (local.set $h0v (f64x2.splat (f64.promote_f32 (local.get $h0))))
    (local.set $h1v (f32x4.splat (local.get $h1)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $quads (i32.and (local.get $end) (i32.const -16)))
    (block $quads_done
      (loop $quad
        (br_if $quads_done (i32.ge_u (local.get $x4) (local.get $quads)))
        (local.set $a (v128.load (i32.add (local.get $ta) (local.get $x4))))
        (local.set $p (f32x4.mul (v128.load (i32.add (local.get $tb) (local.get $x4))) (local.get $h1v)))
        ;; lanes 0,1 and lanes 2,3 (moved down by the shuffle) in float64, then back to float32
        (local.set $r (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (f64x2.add
            (f64x2.mul (f64x2.promote_low_f32x4 (local.get $a)) (local.get $h0v))
            (f64x2.promote_low_f32x4 (local.get $p))))
          (f32x4.demote_f64x2_zero (f64x2.add
            (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a))) (local.get $h0v))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $p) (local.get $p)))))))
        (if (local.get $affine)
          (then (local.set $r (f32x4.sub (f32x4.add (local.get $r) (local.get $r)) (local.get $one)))))
        (v128.store (i32.add (local.get $dst) (local.get $x4)) (local.get $r))
        (local.set $x4 (i32.add (local.get $x4) (i32.const 16)))
        (br $quad)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $x4) (local.get $end)))
        (local.set $v (f32.demote_f64 (f64.add
          (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $ta) (local.get $x4)))) (f64.promote_f32 (local.get $h0)))
          (f64.promote_f32 (f32.mul (f32.load (i32.add (local.get $tb) (local.get $x4))) (local.get $h1))))))
        (if (local.get $affine)
          (then (local.set $v (f32.sub (f32.add (local.get $v) (local.get $v)) (f32.const 1)))))
        (f32.store (i32.add (local.get $dst) (local.get $x4)) (local.get $v))
        (local.set $x4 (i32.add (local.get $x4) (i32.const 4)))
        (br $tail)))))
