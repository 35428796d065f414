"""torch's side of packages/metrics/bench/vit-speed.mjs: the official model code on CPU.

Usage (Debian's python3: torch 1.13, numpy):
    python3 vit_speed_torch.py write-weights --network dinov2|clip --out FILE [--arch vitl14|ViT-L/14@336px] [--seed 0]
    python3 vit_speed_torch.py serve --network dinov2|clip --weights FILE --threads N [--dinov2-repo DIR] [--clip-repo DIR]
    python3 vit_speed_torch.py export-onnx --network dinov2|clip --weights FILE --out FILE.onnx [--dinov2-repo DIR] [--clip-repo DIR]

write-weights saves SYNTHETIC (seeded random) weights in the official format: for DINOv2 the
state dict of `dinov2_vit*14(pretrained=False)` as `torch.hub` downloads it (torch.save, zip), for
CLIP the state dict of `clip.model.CLIP` in float16 as OpenAI's checkpoints store it (which
`clip.load` also reads from a plain torch.save file).

serve builds the network with the official code (facebookresearch/dinov2's `dinov2/hub/backbones.py`,
openai/CLIP's `clip/model.py` `build_model` then `.float()` as `clip.load` does on CPU), taken from
the repository given (git archive into a temporary folder, never copied into this repository), and
loads the weights; it prints one JSON line `{"ready": …, "fixed_s": …}` and then answers each stdin
line `run BATCH BATCHES` with one JSON line of timings of `model(x)` (DINOv2: the final-norm CLS
token) or `model.encode_image(x)` (CLIP) on seeded normalised inputs, under torch.no_grad().
export-onnx writes the same network as torch.onnx.export sees it (opset 17, so LayerNorm is one
LayerNormalization node; input `images` N×3×S×S normalised, output `features`): a reference graph
for onnxruntime that separates how our graph is written from what onnxruntime can do.
Debian's torch 1.13 lacks F.scaled_dot_product_attention, which DINOv2's attention calls: it is
supplied as softmax(QKᵀ/√d)·V (no mask, no dropout: inference).
"""
import argparse
import atexit
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import warnings

T0 = time.perf_counter()
# The official code warns about xFormers and the ONNX exporter about traced branches: not ours to act on.
warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

DINOV2_ARCH = {"vits14": "dinov2_vits14", "vitb14": "dinov2_vitb14", "vitl14": "dinov2_vitl14", "vitg14": "dinov2_vitg14"}
# Not a published size: a 2-block, 64-wide DINOv2 (the official classes) for the memory run, whose
# cost is the pipeline's rather than the network's.
TINY = {"embed_dim": 64, "depth": 2, "num_heads": 1}


def dinov2_model(backbones, arch):
    """The official hub constructor of `arch` (random weights), or the tiny configuration."""
    if arch != "tiny":
        return getattr(backbones, DINOV2_ARCH[arch])(pretrained=False, **({"ffn_layer": "swiglufused"} if arch == "vitg14" else {}))
    from functools import partial

    from dinov2.layers import MemEffAttention, NestedTensorBlock
    from dinov2.models.vision_transformer import DinoVisionTransformer

    block = partial(NestedTensorBlock, attn_class=MemEffAttention)
    return DinoVisionTransformer(img_size=518, patch_size=14, mlp_ratio=4, init_values=1.0, block_fn=block, block_chunks=0, interpolate_offset=0.1, **TINY)
# openai/CLIP's published image towers: (embed_dim, resolution, layers, width, patch, text width, text layers).
CLIP_ARCH = {
    "ViT-B/32": (512, 224, 12, 768, 32, 512, 12),
    "ViT-B/16": (512, 224, 12, 768, 16, 512, 12),
    "ViT-L/14": (768, 224, 24, 1024, 14, 768, 12),
    "ViT-L/14@336px": (768, 336, 24, 1024, 14, 768, 12),
}


def sdpa(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    """softmax(QKᵀ/√d)·V: what F.scaled_dot_product_attention computes without mask or dropout."""
    assert attn_mask is None and not is_causal
    s = scale if scale is not None else 1.0 / math.sqrt(q.shape[-1])
    return torch.softmax((q @ k.transpose(-2, -1)) * s, dim=-1) @ v


def unpack(repo, prefix):
    """The files under `prefix` of the repository's HEAD, in a temporary folder (returned)."""
    out = tempfile.mkdtemp(prefix="vit-speed-")
    atexit.register(shutil.rmtree, out, True)
    tar = subprocess.run(["git", f"--git-dir={repo}", "archive", "HEAD", prefix], check=True, capture_output=True).stdout
    tarfile.open(fileobj=io.BytesIO(tar)).extractall(out)
    return out


def dinov2_module(repo):
    os.environ["XFORMERS_DISABLED"] = "1"
    if not hasattr(F, "scaled_dot_product_attention"):
        F.scaled_dot_product_attention = sdpa
    sys.path.insert(0, unpack(repo, "dinov2"))
    from dinov2.hub import backbones  # noqa: E402

    return backbones


def clip_module(repo):
    sys.path.insert(0, unpack(repo, "clip/model.py"))
    # clip/__init__.py imports clip.py (torchvision, ftfy): the model file alone is loaded.
    import importlib.util

    spec = importlib.util.spec_from_file_location("clip_model", os.path.join(sys.path[0], "clip", "model.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def write_weights(args):
    torch.manual_seed(args.seed)
    if args.network == "dinov2":
        backbones = dinov2_module(args.dinov2_repo)
        model = dinov2_model(backbones, args.arch or "vitl14")
        state = model.state_dict()
    else:
        m = clip_module(args.clip_repo)
        e, res, layers, width, patch, tw, tl = CLIP_ARCH[args.arch or "ViT-L/14@336px"]
        model = m.CLIP(e, res, layers, width, patch, 77, 49408, tw, tw // 64, tl)
        m.convert_weights(model)
        state = model.state_dict()
        # OpenAI's archives carry these three scalars beside the tensors (build_model drops them).
        state["input_resolution"] = torch.tensor(res)
        state["context_length"] = torch.tensor(77)
        state["vocab_size"] = torch.tensor(49408)
    torch.save(state, args.out)
    print(json.dumps({"written": args.out, "tensors": len(state), "bytes": os.path.getsize(args.out)}))


def build(args):
    state = torch.load(args.weights, map_location="cpu")
    if args.network == "dinov2":
        backbones = dinov2_module(args.dinov2_repo)
        dims = state["cls_token"].shape[-1]
        arch = {384: "vits14", 768: "vitb14", 1024: "vitl14", 1536: "vitg14", TINY["embed_dim"]: "tiny"}[dims]
        model = dinov2_model(backbones, arch)
        model.load_state_dict(state, strict=True)
        return model.eval(), 224, model
    m = clip_module(args.clip_repo)
    model = m.build_model(state).float().eval()  # clip.load on CPU: model.float()
    return model, model.visual.input_resolution, model.encode_image


def serve(args):
    torch.set_num_threads(args.threads)
    t = time.perf_counter()
    model, size, forward = build(args)
    fixed = time.perf_counter() - t
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "size": size, "fixed_s": fixed, "since_start_s": time.perf_counter() - T0}), flush=True)
    rs = np.random.RandomState(0)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        batch, batches = int(parts[1]), int(parts[2])
        x = torch.from_numpy(rs.standard_normal((batch, 3, size, size)).astype(np.float32))
        times = []
        with torch.no_grad():
            for _ in range(batches):
                t = time.perf_counter()
                y = forward(x)
                times.append(time.perf_counter() - t)
        print(json.dumps({"batch": batch, "times_s": times, "dims": int(y.shape[-1])}), flush=True)


def export_onnx(args):
    model, size, forward = build(args)

    class Forward(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, x):
            return forward(x)

    x = torch.zeros(1, 3, size, size)
    with torch.no_grad():
        torch.onnx.export(Forward().eval(), x, args.out, opset_version=17, input_names=["images"], output_names=["features"], dynamic_axes={"images": {0: "n"}, "features": {0: "n"}})
    print(json.dumps({"written": args.out, "size": size, "bytes": os.path.getsize(args.out)}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["write-weights", "serve", "export-onnx"])
    p.add_argument("--network", choices=["dinov2", "clip"], required=True)
    p.add_argument("--arch")
    p.add_argument("--out")
    p.add_argument("--weights")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--dinov2-repo", help="a clone (or bare git directory) of facebookresearch/dinov2")
    p.add_argument("--clip-repo", help="a clone (or bare git directory) of openai/CLIP")
    args = p.parse_args()
    {"write-weights": write_weights, "serve": serve, "export-onnx": export_onnx}[args.mode](args)


if __name__ == "__main__":
    main()
