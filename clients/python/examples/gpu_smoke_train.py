"""The real-GPU check of issue #3: a short real training loop (in the style of
../shared/fixtures/scripts/train.py) that logs with the Runledger client in OFFLINE mode, on a machine
with torch and a GPU but no Runledger server.

    python3 clients/python/examples/gpu_smoke_train.py --out "$OUT"

writes $OUT/spool/<run folder>/ (the spool to bring back and `runledger sync`) and
$OUT/gpu_smoke_summary.json (what the script itself saw: steps, GPU, versions) to compare against.
Copy the run folder to tests/fixtures/gpu-spool/ and tests/native/provenance/gpu-spool.test.ts checks it.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # clients/python: the client without installing it


def data(torch):
    try:
        from sklearn.datasets import load_digits
        X, y = load_digits(return_X_y=True)
        return torch.tensor(X / 16.0, dtype=torch.float32), torch.tensor(y)
    except ImportError:  # the same shape of problem without sklearn: 8x8 "digits" from fixed prototypes
        g = torch.Generator().manual_seed(0)
        protos = torch.rand(10, 64, generator=g)
        y = torch.randint(0, 10, (1797,), generator=g)
        return (protos[y] + 0.3 * torch.randn(1797, 64, generator=g)).clamp(0, 1), y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.environ.get("OUT", "."))
    ap.add_argument("--epochs", type=int, default=8)
    args = ap.parse_args()
    os.environ["RUNLEDGER_MODE"] = "offline"
    os.environ["RUNLEDGER_SPOOL_DIR"] = os.path.join(args.out, "spool")

    import torch
    import torch.nn as nn
    import runledger as rl

    torch.manual_seed(0)
    dev = "cuda"
    X, y = data(torch)
    n = len(X)
    idx = torch.randperm(n)
    tr, va = idx[: int(n * 0.8)], idx[int(n * 0.8):]
    dataset_file = os.path.join(args.out, "digits.pt")
    torch.save({"X": X, "y": y}, dataset_file)
    cfg = {"lr": 1e-3, "batch_size": 64, "dropout_p": 0.2, "epochs": args.epochs, "amp": "bf16", "num_workers": 0,
           "model": {"hidden": 256, "layers": 2}}
    steps = 0
    with rl.start_run(experiment="gpu-smoke", name="digits-mlp-gpu", config=cfg, tags={"check": "issue-3-gpu"}) as run:
        run.log_dataset(dataset_file, name="digits", context="train")
        model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Dropout(cfg["dropout_p"]), nn.Linear(256, 10)).to(dev)
        opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])
        Xtr, ytr, Xva, yva = X[tr].to(dev), y[tr].to(dev), X[va].to(dev), y[va].to(dev)
        t0 = time.time()
        for ep in range(cfg["epochs"]):
            perm = torch.randperm(len(Xtr), device=dev)
            model.train()
            for i in range(0, len(Xtr), cfg["batch_size"]):
                b = perm[i:i + cfg["batch_size"]]
                with torch.autocast("cuda", dtype=torch.bfloat16):
                    loss = nn.functional.cross_entropy(model(Xtr[b]), ytr[b])
                opt.zero_grad()
                loss.backward()
                opt.step()
                steps += 1
                run.log({"train/loss": loss, "train/lr": opt.param_groups[0]["lr"]}, step=steps)  # loss: a 0-d CUDA tensor
            model.eval()
            with torch.no_grad():
                logits = model(Xva)
                acc = (logits.argmax(1) == yva).float().mean()
                run.log({"val/acc": acc, "val/loss": nn.functional.cross_entropy(logits, yva), "epoch": ep}, step=steps)
        model_file = os.path.join(args.out, "model.pt")
        torch.save(model.state_dict(), model_file)
        run.log_artifact(model_file)
        folder = run.spool_folder
    props = torch.cuda.get_device_properties(0)
    summary = {
        "spool_folder": os.path.relpath(folder, args.out), "steps": steps, "epochs": cfg["epochs"], "seconds": time.time() - t0,
        "gpu": props.name, "gpu_memory_mib": props.total_memory // (1024 * 1024), "torch": torch.__version__, "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version(), "points": {"train/loss": steps, "train/lr": steps, "val/acc": cfg["epochs"], "val/loss": cfg["epochs"]},
    }
    with open(os.path.join(args.out, "gpu_smoke_summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
