;; WebAssembly kernels of clean-fid's "clean" preprocessing: Pillow's BICUBIC resize of "F" images
;; (separable, float64 sums of pixel × float64 weight in Pillow's order, each pass stored as
;; float32), then clip and (x − 128)/128, or x/255 — the arithmetic of resize-pillow.ts and
;; profiles.ts operation for operation, so the output is bit-identical to the JS path. Assembled
;; by packages/metrics/bench/build-wasm.mjs (npm "build:wasm") into bicubic-wasm.ts;
;; resize-bicubic-wasm.test.ts checks the embedded bytes. The driver is resize-bicubic-wasm.ts.
;; Pointers are byte addresses into the exported memory.
;;
;; hpass(src, inW, rows, start, count, w, ksize, outW, tmp, plane): horizontal pass over `rows`
;;   rows of interleaved RGB bytes from `src`, all three channels: for output column xx the taps
;;   are count[xx] pixels from start[xx] with float64 weights at w + 8·ksize·xx;
;;   tmp_c[y][xx] = f32(0 + Σ byte·weight), channel c at tmp + c·plane (bytes).
;; vpass(tmp, width, start, count, w, ksize, outH, dst, mode): vertical pass of one channel (rows of
;;   tmp start at the first row any output reads; start[] is relative to it): acc = 0 + Σ row·weight
;;   in tap order, v = f32(acc), then mode 0: v; 1: clip to [0, 255] and f32((v − 128)/128) (clean);
;;   2: clip and f32(v/255) (clean, [0, 1]). Two columns per step in f64x2.
(module
  (memory (export "memory") 1 65536)
  (func (export "hpass") (param $src i32) (param $inW i32) (param $rows i32) (param $start i32) (param $count i32)
    (param $w i32) (param $ksize i32) (param $outW i32) (param $tmp i32) (param $plane i32)
    (local $y i32) (local $xx i32) (local $row i32) (local $p i32) (local $wp i32) (local $j i32) (local $n i32)
    (local $o i32) (local $wt f64) (local $s0 f64) (local $s1 f64) (local $s2 f64)
    (block $rows_done
      (loop $rowl
        (br_if $rows_done (i32.ge_u (local.get $y) (local.get $rows)))
        (local.set $row (i32.add (local.get $src) (i32.mul (i32.mul (local.get $y) (local.get $inW)) (i32.const 3))))
        (local.set $xx (i32.const 0))
        (block $cols_done
          (loop $col
            (br_if $cols_done (i32.ge_u (local.get $xx) (local.get $outW)))
            (local.set $p (i32.add (local.get $row)
              (i32.mul (i32.load (i32.add (local.get $start) (i32.shl (local.get $xx) (i32.const 2)))) (i32.const 3))))
            (local.set $n (i32.load (i32.add (local.get $count) (i32.shl (local.get $xx) (i32.const 2)))))
            (local.set $wp (i32.add (local.get $w) (i32.shl (i32.mul (local.get $xx) (local.get $ksize)) (i32.const 3))))
            (local.set $s0 (f64.const 0))
            (local.set $s1 (f64.const 0))
            (local.set $s2 (f64.const 0))
            (local.set $j (i32.const 0))
            (block $taps_done
              (loop $tap
                (br_if $taps_done (i32.ge_u (local.get $j) (local.get $n)))
                (local.set $wt (f64.load (local.get $wp)))
                (local.set $s0 (f64.add (local.get $s0) (f64.mul (f64.convert_i32_u (i32.load8_u (local.get $p))) (local.get $wt))))
                (local.set $s1 (f64.add (local.get $s1) (f64.mul (f64.convert_i32_u (i32.load8_u offset=1 (local.get $p))) (local.get $wt))))
                (local.set $s2 (f64.add (local.get $s2) (f64.mul (f64.convert_i32_u (i32.load8_u offset=2 (local.get $p))) (local.get $wt))))
                (local.set $p (i32.add (local.get $p) (i32.const 3)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $tap)))
            (local.set $o (i32.add (local.get $tmp)
              (i32.shl (i32.add (i32.mul (local.get $y) (local.get $outW)) (local.get $xx)) (i32.const 2))))
            (f32.store (local.get $o) (f32.demote_f64 (local.get $s0)))
            (local.set $o (i32.add (local.get $o) (local.get $plane)))
            (f32.store (local.get $o) (f32.demote_f64 (local.get $s1)))
            (local.set $o (i32.add (local.get $o) (local.get $plane)))
            (f32.store (local.get $o) (f32.demote_f64 (local.get $s2)))
            (local.set $xx (i32.add (local.get $xx) (i32.const 1)))
            (br $col)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rowl))))

  ;; One float32 value of the vertical pass, normalised by `mode` (see the header).
  (func $finish (param $acc f64) (param $mode i32) (result f32)
    (local $v f64)
    (local.set $v (f64.promote_f32 (f32.demote_f64 (local.get $acc))))
    (if (i32.eqz (local.get $mode)) (then (return (f32.demote_f64 (local.get $v)))))
    (if (f64.lt (local.get $v) (f64.const 0))
      (then (return (select (f32.const -1) (f32.const 0) (i32.eq (local.get $mode) (i32.const 1))))))
    (if (f64.gt (local.get $v) (f64.const 255))
      (then (return (select (f32.const 0.9921875) (f32.const 1) (i32.eq (local.get $mode) (i32.const 1))))))
    (if (result f32) (i32.eq (local.get $mode) (i32.const 1))
      (then (f32.demote_f64 (f64.div (f64.sub (local.get $v) (f64.const 128)) (f64.const 128))))
      (else (f32.demote_f64 (f64.div (local.get $v) (f64.const 255))))))

  (func (export "vpass") (param $tmp i32) (param $width i32) (param $start i32) (param $count i32) (param $w i32)
    (param $ksize i32) (param $outH i32) (param $dst i32) (param $mode i32)
    (local $yy i32) (local $x i32) (local $pairs i32) (local $n i32) (local $j i32) (local $src i32) (local $wp i32)
    (local $p i32) (local $o i32) (local $wv v128) (local $acc v128) (local $stride i32) (local $a f64)
    (local.set $stride (i32.shl (local.get $width) (i32.const 2)))
    (local.set $pairs (i32.and (local.get $width) (i32.const -2)))
    (block $rows_done
      (loop $rowl
        (br_if $rows_done (i32.ge_u (local.get $yy) (local.get $outH)))
        (local.set $src (i32.add (local.get $tmp)
          (i32.mul (i32.load (i32.add (local.get $start) (i32.shl (local.get $yy) (i32.const 2)))) (local.get $stride))))
        (local.set $n (i32.load (i32.add (local.get $count) (i32.shl (local.get $yy) (i32.const 2)))))
        (local.set $o (i32.add (local.get $dst) (i32.mul (local.get $yy) (local.get $stride))))
        (local.set $x (i32.const 0))
        (block $pairs_done
          (loop $pair
            (br_if $pairs_done (i32.ge_u (local.get $x) (local.get $pairs)))
            (local.set $acc (f64x2.splat (f64.const 0)))
            (local.set $p (i32.add (local.get $src) (i32.shl (local.get $x) (i32.const 2))))
            (local.set $wp (i32.add (local.get $w) (i32.shl (i32.mul (local.get $yy) (local.get $ksize)) (i32.const 3))))
            (local.set $j (i32.const 0))
            (block $taps_done
              (loop $tap
                (br_if $taps_done (i32.ge_u (local.get $j) (local.get $n)))
                (local.set $acc (f64x2.add (local.get $acc)
                  (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))) (f64x2.splat (f64.load (local.get $wp))))))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $tap)))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $x) (i32.const 2)))
              (call $finish (f64x2.extract_lane 0 (local.get $acc)) (local.get $mode)))
            (f32.store offset=4 (i32.add (local.get $o) (i32.shl (local.get $x) (i32.const 2)))
              (call $finish (f64x2.extract_lane 1 (local.get $acc)) (local.get $mode)))
            (local.set $x (i32.add (local.get $x) (i32.const 2)))
            (br $pair)))
        ;; An odd last column, on its own.
        (if (i32.lt_u (local.get $x) (local.get $width))
          (then
            (local.set $a (f64.const 0))
            (local.set $p (i32.add (local.get $src) (i32.shl (local.get $x) (i32.const 2))))
            (local.set $wp (i32.add (local.get $w) (i32.shl (i32.mul (local.get $yy) (local.get $ksize)) (i32.const 3))))
            (local.set $j (i32.const 0))
            (block $t_done
              (loop $t
                (br_if $t_done (i32.ge_u (local.get $j) (local.get $n)))
                (local.set $a (f64.add (local.get $a) (f64.mul (f64.promote_f32 (f32.load (local.get $p))) (f64.load (local.get $wp)))))
                (local.set $p (i32.add (local.get $p) (local.get $stride)))
                (local.set $wp (i32.add (local.get $wp) (i32.const 8)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $t)))
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $x) (i32.const 2))) (call $finish (local.get $a) (local.get $mode)))))
        (local.set $yy (i32.add (local.get $yy) (i32.const 1)))
        (br $rowl)))))
