#!/usr/bin/env python3
"""The Dual-MTGAN training step and inference calls of this project, written in plain PyTorch.

A side-by-side reference for `dualmtgan bench`: the same networks (E_C, E_M, R, G, D_I, D_V with the
same layers and widths, instance norm written from ops), the same losses (model/Losses.java), the
same two Adam updates per step (model/Adam.java, model/TrainingStep.java, including the check that
every gradient is finite) and the same inference calls as animate/Animator.java (transfer of one
driving clip, generate of N samples), for the same config file, batch and shapes, on the same
number of threads. Inputs are the same synthetic moving squares. Weights are random: only time
matters here, and the parameter counts, which are printed for comparison with the Java model.

Debian:  apt-get install python3-torch libopenblas0-pthread
(without libopenblas0-pthread Debian's PyTorch falls back to a reference BLAS ~30x slower).

Prints progress to stderr and one line to stdout:
    REFERENCE {"median_step_seconds": ..., "transfer_median_ms": ..., "generate_median_ms": ..., ...}
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SLOPE = 0.2
EPS_NORM = 1e-5

# ModelConfig defaults: a config file names only what it changes.
MODEL_DEFAULTS = dict(size=64, frames=16, width=32, contentDim=128, motionDim=32, motionCodeDim=64,
                      spectralNorm=False, decoder="masked", lambdaRec=10, lambdaC=1, lambdaM=1, lambdaKL=0.01,
                      lambdaI=0.1, lambdaV=0.1, lambdaLatent=1, warmupSteps=400, rampSteps=400,
                      lr=2e-4, beta1=0.5, beta2=0.999, eps=1e-8, klFreeBits=0, recMotionWeight=0,
                      logvarOffset=0, warpPyramid=0, motionInputGain=1,
                      motion="latent", keypoints=10, pairs=4, trajectoryHidden=128, lambdaEq=10,
                      lambdaTraj=10, trajectoryPrior="standard", localAffine=0)

# Generator's warp decoder constants (model/Generator.java).
FLOW_GAIN = 1.0 / 20
OCCLUSION_BIAS = 4.0


def level_channels(width, i):
    return width * min(1 << i, 8)


def depth_of(size):
    return int(math.log2(size)) - 2


def leaky(x):
    return F.leaky_relu(x, SLOPE)


def instance_normalize(x):
    """(x - mean) / sqrt(var + eps) over the spatial axes of each sample and channel (biased variance)."""
    s = x.shape
    flat = x.reshape(s[0], s[1], -1)
    return F.layer_norm(flat, flat.shape[-1:], eps=EPS_NORM).reshape(s)


class SpectralNorm(nn.Module):
    """W / sigma(W), one power iteration per training forward on a detached W; u is state."""

    def __init__(self, rows):
        super().__init__()
        self.register_buffer("u", F.normalize(torch.randn(rows), dim=0))

    def forward(self, weight, training):
        w = weight.reshape(weight.shape[0], -1)
        wf = w.detach()
        v = wf.t().mv(self.u)
        v = v / (v.norm() + 1e-12)
        u = wf.mv(v)
        u = u / (u.norm() + 1e-12)
        sigma = u.dot(w.mv(v))
        if training:
            self.u.copy_(u)
        return weight / sigma


class Conv(nn.Module):
    """2D or 3D convolution with bias, optionally spectrally normalised (model/Conv.java)."""

    def __init__(self, cin, cout, kernel, stride, pad, sn=False):
        super().__init__()
        self.stride, self.pad = stride, pad
        self.weight = nn.Parameter(torch.empty(cout, cin, *kernel))
        self.bias = nn.Parameter(torch.zeros(cout))
        bound = 1 / math.sqrt(cin * math.prod(kernel))
        nn.init.uniform_(self.weight, -bound, bound)
        self.sn = SpectralNorm(cout) if sn else None
        self.conv = F.conv2d if len(kernel) == 2 else F.conv3d

    def forward(self, x):
        w = self.sn(self.weight, self.training) if self.sn is not None else self.weight
        return self.conv(x, w, self.bias, self.stride, self.pad)


def conv2d(cin, cout, k, s, p, sn=False):
    return Conv(cin, cout, (k, k), (s, s), (p, p), sn)


class Dense(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(cout, cin).uniform_(-1 / math.sqrt(cin), 1 / math.sqrt(cin)))
        self.bias = nn.Parameter(torch.zeros(cout))

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)


class InstanceNorm(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        shape = (1, -1) + (1,) * (x.dim() - 2)
        return instance_normalize(x) * self.gamma.reshape(shape) + self.beta.reshape(shape)


class LstmCell(nn.Module):
    """One LSTM step, gates in PyTorch's order i, f, g, o (model/LstmCell.java)."""

    def __init__(self, cin, hidden):
        super().__init__()
        b = 1 / math.sqrt(hidden)
        self.weight_ih = nn.Parameter(torch.empty(4 * hidden, cin).uniform_(-1 / math.sqrt(cin), 1 / math.sqrt(cin)))
        self.weight_hh = nn.Parameter(torch.empty(4 * hidden, hidden).uniform_(-b, b))
        self.bias = nn.Parameter(torch.zeros(4 * hidden))

    def forward(self, x, h, c):
        gates = F.linear(x, self.weight_ih, self.bias) + F.linear(h, self.weight_hh)
        i, f, g, o = gates.chunk(4, 1)
        c2 = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c2), c2


class DownStack(nn.Module):
    def __init__(self, cin, width, depth):
        super().__init__()
        self.channels = [level_channels(width, i) for i in range(depth)]
        self.convs = nn.ModuleList()
        self.norms = nn.ModuleList()
        for i, c in enumerate(self.channels):
            self.convs.append(conv2d(cin, c, 4, 2, 1))
            self.norms.append(nn.Identity() if i == 0 else InstanceNorm(c))
            cin = c

    def forward(self, x):
        levels = []
        for conv, norm in zip(self.convs, self.norms):
            x = leaky(norm(conv(x)))
            levels.append(x)
        return levels


class ContentEncoder(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.trunk = DownStack(3, m["width"], depth_of(m["size"]))
        self.content = Dense(self.trunk.channels[-1] * 16, m["contentDim"])

    def forward(self, x):
        skips = self.trunk(x)
        return [self.content(skips[-1].flatten(1))] + skips


class MotionEncoder(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.motion_dim = m["motionDim"]
        f = 2 * m["motionCodeDim"]
        self.trunk = DownStack(6, m["width"], depth_of(m["size"]))
        self.feature = Dense(self.trunk.channels[-1] * 16, f)
        self.lstm = LstmCell(f, f)
        self.posterior = Dense(f, 2 * m["motionDim"])
        self.f = f
        self.logvar_offset = m["logvarOffset"]
        self.input_gain = m["motionInputGain"]

    def forward(self, video):
        b, t, _, s, _ = video.shape
        frames = torch.cat([video, (video - video[:, 0:1]) * self.input_gain], 2).reshape(b * t, 6, s, s)
        last = self.trunk(frames)[-1]
        f = leaky(self.feature(last.reshape(b * t, -1))).reshape(b, t, self.f)
        h = video.new_zeros(b, self.f)
        c = h
        for i in range(t):
            h, c = self.lstm(f[:, i], h, c)
        q = self.posterior(h)
        return q[:, :self.motion_dim], (q[:, self.motion_dim:] + self.logvar_offset).clamp(-10, 10)


class MotionDecoder(nn.Module):
    def __init__(self, m):
        super().__init__()
        hidden = 2 * m["motionCodeDim"]
        self.initial = Dense(m["motionDim"], hidden)
        self.lstm = LstmCell(m["motionDim"], hidden)
        self.output = Dense(hidden, m["motionCodeDim"])

    def forward(self, z, frames):
        h = torch.tanh(self.initial(z))
        c = torch.zeros_like(h)
        codes = []
        for _ in range(frames):
            h, c = self.lstm(z, h, c)
            codes.append(self.output(h))
        return torch.stack(codes, 1)


class FiLM(nn.Module):
    """AdaIN: instance-normalised x * (1 + gamma(code)) + beta(code)."""

    def __init__(self, channels, code):
        super().__init__()
        self.channels = channels
        self.affine = Dense(code, 2 * channels)

    def forward(self, x, code):
        gb = self.affine(code)
        n = x.shape[0]
        gamma = gb[:, :self.channels].reshape(n, self.channels, 1, 1)
        beta = gb[:, self.channels:].reshape(n, self.channels, 1, 1)
        return instance_normalize(x) * (gamma + 1) + beta


class UpsampleConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = conv2d(cin, cout, 3, 1, 1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2, mode="nearest"))


def per_frame(a, t):
    """(B, ...) -> (B*T, ...), each sample repeated for its T frames."""
    return a.unsqueeze(1).expand(a.shape[0], t, *a.shape[1:]).reshape(a.shape[0] * t, *a.shape[1:])


def warp(image, flow):
    """BilinearSampler.warp: out(i, j) = image(i + flow_y, j + flow_x), flow in pixels, border padding."""
    n, _, h, w = image.shape
    ys, xs = torch.meshgrid(torch.arange(h, dtype=image.dtype), torch.arange(w, dtype=image.dtype), indexing="ij")
    gx = (xs + flow[:, 0]) / (w - 1) * 2 - 1
    gy = (ys + flow[:, 1]) / (h - 1) * 2 - 1
    return F.grid_sample(image, torch.stack([gx, gy], -1), mode="bilinear", padding_mode="border", align_corners=True)


class Generator(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.size = m["size"]
        self.decoder = m["decoder"]
        self.masked = self.decoder == "masked"
        self.warp = self.decoder == "warp"
        depth = depth_of(m["size"])
        ch = [level_channels(m["width"], i) for i in range(depth)]
        self.ch = ch
        code = m["motionCodeDim"]
        deep = ch[-1]
        self.start = Dense(m["contentDim"], deep * 16)
        # warp: m^t also as a 4 px map beside the content (the spatial motion pathway)
        self.motion_map = Dense(code, deep * 16) if self.warp else None
        self.start_conv = conv2d((3 if self.warp else 2) * deep, deep, 3, 1, 1)
        self.start_film = FiLM(deep, code)
        self.ups, self.up_films, self.merges, self.merge_films = (nn.ModuleList() for _ in range(4))
        for i in range(depth - 2, -1, -1):
            self.ups.append(UpsampleConv(ch[i + 1], ch[i]))
            self.up_films.append(FiLM(ch[i], code))
            self.merges.append(conv2d(2 * ch[i], ch[i], 3, 1, 1))
            self.merge_films.append(FiLM(ch[i], code))
        self.final_up = UpsampleConv(ch[0], ch[0])
        self.final_film = FiLM(ch[0], code)
        self.output = conv2d(ch[0], 4 if self.masked else 3, 3, 1, 1)
        if self.warp:
            # flow (2) and occlusion (1); weights start at zero, so an untrained model copies the image
            self.flow = conv2d(ch[0], 3, 3, 1, 1)
            with torch.no_grad():
                self.flow.weight.zero_()

    def forward(self, image, content, m):
        b, t, _ = m.shape
        code = m.reshape(b * t, -1)
        depth = len(self.ch)
        skips = content[1:]
        h = self.start(content[0]).reshape(b, self.ch[-1], 4, 4)
        h = torch.cat([per_frame(h, t), per_frame(skips[depth - 1], t)], 1)
        if self.warp:
            h = torch.cat([h, self.motion_map(code).reshape(b * t, self.ch[-1], 4, 4)], 1)
        h = leaky(self.start_film(self.start_conv(h), code))
        for k in range(len(self.ups)):
            level = depth - 2 - k
            h = leaky(self.up_films[k](self.ups[k](h), code))
            h = torch.cat([h, per_frame(skips[level], t)], 1)
            h = leaky(self.merge_films[k](self.merges[k](h), code))
        h = leaky(self.final_film(self.final_up(h), code))
        self.parts = None
        if self.warp:
            # Both heads in one convolution, as Conv.forwardJoint does.
            both = F.conv2d(h, torch.cat([self.output.weight, self.flow.weight], 0),
                            torch.cat([self.output.bias, self.flow.bias], 0), padding=1)
            out, head = both[:, 0:3], both[:, 3:6]
            flow = head[:, 0:2] * (FLOW_GAIN * self.size)
            occlusion = torch.sigmoid(head[:, 2:3] + OCCLUSION_BIAS)
            generated = torch.tanh(out)
            frames = generated + occlusion * (warp(per_frame(image, t), flow) - generated)
            self.parts = (flow, occlusion, generated)
        elif self.masked:
            out = self.output(h)
            generated = torch.tanh(out[:, 0:3])
            mask = torch.sigmoid(out[:, 3:4])
            frames = generated + mask * (per_frame(image, t) - generated)
        else:
            frames = torch.tanh(self.output(h))
        return frames.reshape(b, t, 3, self.size, self.size)


class ImageDiscriminator(nn.Module):
    def __init__(self, m):
        super().__init__()
        depth = int(math.log2(m["size"])) - 3
        self.convs = nn.ModuleList()
        cin = 6
        for i in range(depth):
            c = level_channels(m["width"], i)
            self.convs.append(conv2d(cin, c, 4, 2, 1, m["spectralNorm"]))
            cin = c
        self.logits = conv2d(cin, 1, 3, 1, 1, m["spectralNorm"])

    def forward(self, cond, frame):
        x = torch.cat([cond, frame], 1)
        for c in self.convs:
            x = leaky(c(x))
        return self.logits(x)


class VideoDiscriminator(nn.Module):
    def __init__(self, m):
        super().__init__()
        depth = int(math.log2(m["size"])) - 3
        self.convs = nn.ModuleList()
        cin, t = 3, m["frames"]
        for i in range(depth):
            c = level_channels(m["width"], i)
            st = 2 if t >= 4 else 1
            kt = 4 if st == 2 else 3
            self.convs.append(Conv(cin, c, (kt, 4, 4), (st, 2, 2), (1, 1, 1), m["spectralNorm"]))
            t = (t + 2 - kt) // st + 1
            cin = c
        self.logits = Conv(cin, 1, (3, 3, 3), (1, 1, 1), (1, 1, 1), m["spectralNorm"])

    def forward(self, clip):
        x = clip.transpose(1, 2)
        for c in self.convs:
            x = leaky(c(x))
        return self.logits(x)


class DualMtgan(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.E_C = ContentEncoder(m)
        self.E_M = MotionEncoder(m)
        self.R = MotionDecoder(m)
        self.G = Generator(m)
        self.D_I = ImageDiscriminator(m)
        self.D_V = VideoDiscriminator(m)

    def parameter_counts(self):
        return {n: sum(p.numel() for p in getattr(self, n).parameters()) for n in ["E_C", "E_M", "R", "G", "D_I", "D_V"]}


def real(logits):
    return F.softplus(-logits).mean()


def fake(logits):
    return F.softplus(logits).mean()


def sample_frames(clip, idx):
    return clip[torch.arange(clip.shape[0]), idx]


def losses(net, m, source, target, adv):
    """Losses.compute: one forward pass, every term, the generator and discriminator totals."""
    b, t, _, s, _ = source.shape
    dI, dV = m["lambdaI"] > 0, m["lambdaV"] > 0
    wI, wV = m["lambdaI"] * adv, m["lambdaV"] * adv
    disc = dI or dV
    need_yd = m["lambdaM"] > 0 or disc
    need_ys = m["lambdaLatent"] > 0 or disc
    gen, dis = {}, {}
    x1, y = source[:, 0], target[:, 0]
    if m["lambdaC"] > 0:
        allc = net.E_C(torch.cat([source.reshape(b * t, 3, s, s), y], 0))
        cx = [a[:b * t].reshape(b, t, *a.shape[1:])[:, 0] for a in allc]
        cy = [a[b * t:] for a in allc]
        c = allc[0][:b * t].reshape(b, t, -1)
        gen["L_C"] = (c[:, 1:] - c[:, :-1]).abs().mean()
    else:
        both = net.E_C(torch.cat([x1, y], 0))
        cx = [a[:b] for a in both]
        cy = [a[b:] for a in both]
    mu, logvar = net.E_M(source)
    zM = mu + (0.5 * logvar).exp() * torch.randn_like(mu)
    zS = torch.randn_like(mu)
    codes = net.R(torch.cat([zM, zS], 0) if need_ys else zM, t)
    mm = codes[:b]
    images, motions, contents = [x1], [mm], [cx]
    if need_yd:
        images.append(y); motions.append(mm); contents.append(cy)
    if need_ys:
        images.append(y); motions.append(codes[b:]); contents.append(cy)
    content = [torch.cat([cc[i] for cc in contents], 0) for i in range(len(cx))]
    fakes = net.G(torch.cat(images, 0), content, torch.cat(motions, 0))
    parts = len(images)
    vx = fakes[:b]
    vyd = fakes[b:2 * b] if need_yd else None
    vys = fakes[(parts - 1) * b:parts * b] if need_ys else None
    if m["lambdaRec"] > 0:
        err = (vx - source).abs()
        if m["recMotionWeight"] > 0:
            err = err * (1 + m["recMotionWeight"] * (source - x1.unsqueeze(1)).abs().mean(2, keepdim=True))
        rec = err.mean()
        if m["warpPyramid"] > 0:
            # Coarse levels of L_rec (ModelConfig.warpPyramid, Losses.pyramidRec).
            n = b * t
            flow, occ, generated = (p[:n] for p in net.G.parts)
            target = source.reshape(n, 3, source.shape[-2], source.shape[-1])
            image = per_frame(x1, t)
            levels = []
            for k in range(1, m["warpPyramid"] + 1):
                f = 2 ** k
                pool = lambda a: F.avg_pool2d(a, f)
                g = pool(generated)
                pred = g + pool(occ) * (warp(pool(image), pool(flow) / f) - g)
                levels.append((pred - pool(target)).abs().mean())
            rec = rec + sum(levels) / len(levels)
        gen["L_rec"] = rec
    kl_objective = None
    if m["lambdaKL"] > 0:
        per_dim = (0.5 * (mu.square() + logvar.exp() - 1 - logvar)).mean(0)
        gen["L_KL"] = per_dim.sum()
        if m["klFreeBits"] > 0:
            kl_objective = per_dim.clamp(min=m["klFreeBits"]).sum()
    if m["lambdaM"] > 0 or m["lambdaLatent"] > 0:
        back = ([vx, vyd] if m["lambdaM"] > 0 else []) + ([vys] if m["lambdaLatent"] > 0 else [])
        mu_back = net.E_M(torch.cat(back, 0))[0]
        if m["lambdaM"] > 0:
            gen["L_M"] = (mu_back[:b] - mu).abs().mean() + (mu_back[b:2 * b] - mu).abs().mean()
        if m["lambdaLatent"] > 0:
            gen["L_lat"] = (mu_back[(len(back) - 1) * b:] - zS).abs().mean()
    if dI:
        idx = [torch.randint(0, t, (b,)) for _ in range(5)]
        sV, sVx, sVyd, sVys, sVy = (sample_frames(c, i) for c, i in zip([source, vx, vyd, vys, target], idx))
        if wI > 0:
            l = net.D_I(torch.cat([x1, y, y]), torch.cat([sVx, sVyd, sVys])).chunk(3, 0)
            gen["L_GAN_I_G"] = real(l[0]) * 0.5 + (real(l[1]) + real(l[2])) * 0.25
        l = net.D_I(torch.cat([x1, x1, y, y, y, y, x1]),
                    torch.cat([sV, sVx.detach(), sV, y, sVyd.detach(), sVys.detach(), sVy])).chunk(7, 0)
        lx = real(l[0]) + (fake(l[1]) + fake(l[2])) * 0.5
        ly = real(l[3]) + ((fake(l[4]) + fake(l[5])) * 0.5 + fake(l[6])) * 0.5
        dis["L_D_I"] = lx + ly
    if dV:
        if wV > 0:
            l = net.D_V(torch.cat([vx, vyd, vys])).chunk(3, 0)
            gen["L_GAN_V_G"] = real(l[0]) + (real(l[1]) + real(l[2])) * 0.5
        l = net.D_V(torch.cat([source, vx.detach(), target, vyd.detach(), vys.detach()])).chunk(5, 0)
        dis["L_D_V"] = real(l[0]) + fake(l[1]) + real(l[2]) + (fake(l[3]) + fake(l[4])) * 0.5
    weights = dict(L_rec=m["lambdaRec"], L_C=m["lambdaC"], L_M=m["lambdaM"], L_KL=m["lambdaKL"],
                   L_lat=m["lambdaLatent"], L_GAN_I_G=wI, L_GAN_V_G=wV)
    g_total = sum((kl_objective if k == "L_KL" and kl_objective is not None else v) * weights[k]
                  for k, v in gen.items()) if gen else None
    d_total = sum(dis.values()) if dis else None
    return gen, dis, g_total, d_total


class Adam:
    """model/Adam.java: per-parameter moments, bias corrections folded into scalars."""

    def __init__(self, params, m):
        self.params = params
        self.lr, self.b1, self.b2, self.eps = m["lr"], m["beta1"], m["beta2"], m["eps"]
        self.state = {}

    @torch.no_grad()
    def update(self):
        for p in self.params:
            if p.grad is None:
                continue
            mi, vi, t = self.state.get(id(p), (torch.zeros_like(p), torch.zeros_like(p), 0))
            t += 1
            g = p.grad
            mi.mul_(self.b1).add_(g * (1 - self.b1))
            vi.mul_(self.b2).add_(g.square().mul_(1 - self.b2))
            denom = (vi / (1 - self.b2 ** t)).sqrt().add_(self.eps)
            p.sub_((mi * (self.lr / (1 - self.b1 ** t))).div_(denom))
            p.grad.zero_()
            self.state[id(p)] = (mi, vi, t)


def check_gradients(params):
    # TrainingStep refuses a non-finite gradient before any update: one reduction per parameter.
    for p in params:
        if p.grad is not None and not math.isfinite(p.grad.abs().sum().item()):
            raise FloatingPointError("non-finite gradient")


def training_step(net, m, gen_params, disc_params, gen_opt, disc_opt, source, target):
    for p in gen_params + disc_params:
        p.grad = None if p.grad is None else p.grad.zero_()
    gen, dis, g_total, d_total = losses(net, m, source, target, 1.0)
    values = {k: v.item() for k, v in {**gen, **dis}.items()}
    if not all(math.isfinite(v) for v in values.values()):
        raise FloatingPointError("non-finite loss")
    if g_total is not None:
        g_total.backward()
    for p in disc_params:  # the generator's backward also filled D's gradients
        if p.grad is not None:
            p.grad.zero_()
    if d_total is not None:
        d_total.backward()
    check_gradients(gen_params)
    check_gradients(disc_params)
    gen_opt.update()
    disc_opt.update()
    return values


def moving_squares(seed, batch, frames, size):
    """Same kind of clip as bench/SyntheticClips.java (a square moving one pixel per frame)."""
    g = torch.Generator().manual_seed(seed)
    v = torch.full((batch, frames, 3, size, size), -0.8)
    side = max(1, size // 4)
    for b in range(batch):
        x0 = int(torch.randint(0, max(1, size // 2), (1,), generator=g))
        y0 = int(torch.randint(0, max(1, size // 2), (1,), generator=g))
        colour = torch.rand(3, generator=g) * 2 - 1
        for t in range(frames):
            xa, xb = min(size, x0 + t), min(size, x0 + t + side)
            v[b, t, :, y0:y0 + side, xa:xb] = colour.reshape(3, 1, 1)
    return v


# ---- Inference as animate/Animator.java runs it (batch 1, no gradients). ----

def windows(length, clip):
    """MotionWindows.plan: (clip frame indices, first code kept, start, covered)."""
    if length <= clip:
        return [(list(range(length)), 0, 0, length)]
    out = [(list(range(clip)), 0, 0, clip)]
    span = clip - 1
    hop = max(1, span // 2)
    last = length - span
    s = hop
    while True:
        start = min(s, last)
        out.append(([0] + [start + i - 1 for i in range(1, clip)], 1, start, span))
        if start == last:
            break
        s += hop
    return out


def driving_codes(net, m, video):
    length = video.shape[1]
    ws = windows(length, m["frames"])
    if len(ws) == 1:
        return net.R(net.E_M(video)[0], length)
    codes = []
    for i in range(0, len(ws), 8):  # Animator.WINDOW_BATCH
        part = ws[i:i + 8]
        clips = torch.stack([video[0, w[0]] for w in part], 0)
        codes.append(net.R(net.E_M(clips)[0], m["frames"]))
    codes = torch.cat(codes, 0)
    acc = torch.zeros(length, codes.shape[2])
    weight = torch.zeros(length, 1)
    for k, (_, first, start, covered) in enumerate(ws):
        for p in range(covered):
            w = min(p + 1, covered - p)
            acc[start + p] += w * codes[k, first + p]
            weight[start + p] += w
    return (acc / weight).unsqueeze(0)


def render(net, image, codes):
    frames = []
    for i in range(0, codes.shape[1], 64):  # Animator.FRAME_CHUNK: E_C once per chunk
        part = codes[:, i:i + 64]
        out = net.G(image, net.E_C(image), part)
        frames.append(((out + 1) / 2).clamp(0, 1))
    return torch.cat(frames, 1)


@torch.no_grad()
def transfer(net, m, image, video):
    return render(net, image, driving_codes(net, m, video))


@torch.no_grad()
def generate(net, m, image, n, frames):
    out = []
    for i in range(0, n, 8):  # Animator.SAMPLE_BATCH
        b = min(8, n - i)
        z = torch.randn(b, m["motionDim"])
        out.append(render(net, image.expand(b, -1, -1, -1), net.R(z, frames)))
    return torch.cat(out, 0)


def median(v):
    s = sorted(v)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def resolve_config(name):
    if os.path.isfile(name):
        return name
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "configs", name if name.endswith(".json") else name + ".json")
    if os.path.isfile(here):
        return here
    sys.exit("error: %s: config file not found" % name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", default="weizmann-64")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--frames", type=int)
    ap.add_argument("--size", type=int)
    ap.add_argument("--width", type=int)
    ap.add_argument("--steps", type=int, default=20, help="measured steps after the warm-up")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--runs", type=int, default=10, help="timed calls per inference latency (after 2 untimed)")
    ap.add_argument("--driving-frames", type=int, default=16)
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--threads", type=int, default=0, help="intra-op threads (0: one per core, as the Java engine)")
    ap.add_argument("--what", default="train,transfer,generate")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    with open(resolve_config(a.config)) as f:
        cfg = json.load(f)
    m = dict(MODEL_DEFAULTS)
    m.update(cfg.get("model", {}))
    for k in ("frames", "size", "width"):
        if getattr(a, k) is not None:
            m[k] = getattr(a, k)
    threads = a.threads or os.cpu_count()
    torch.set_num_threads(threads)
    torch.manual_seed(a.seed)
    what = set(a.what.split(","))

    if m["trajectoryPrior"] != "standard":
        # The learned prior p(z | kp^1) is a Java-side motion-stage network; the side-by-side timing has no twin of it.
        sys.exit("reference: trajectoryPrior %r is not built here; bench the image stage with \"standard\"" % m["trajectoryPrior"])
    net = DualMtgan(m)
    counts = net.parameter_counts()
    print("reference: %s, %dx%d, T %d, width %d, batch %d, threads %d, torch %s, ONEDNN_MAX_CPU_ISA=%s; parameters %s"
          % (cfg.get("name"), m["size"], m["size"], m["frames"], m["width"], a.batch, threads, torch.__version__,
             os.environ.get("ONEDNN_MAX_CPU_ISA", "(default)"), counts), file=sys.stderr)
    result = dict(config=cfg.get("name"), size=m["size"], frames=m["frames"], width=m["width"], batch=a.batch,
                  threads=threads, torch=torch.__version__, onednn_max_cpu_isa=os.environ.get("ONEDNN_MAX_CPU_ISA"),
                  parameters=counts)

    if "train" in what:
        net.train()
        gen_params = [p for n in ("E_C", "E_M", "R", "G") for p in getattr(net, n).parameters()]
        disc_nets = [n for n, w in (("D_I", m["lambdaI"]), ("D_V", m["lambdaV"])) if w > 0]
        disc_all = [p for n in ("D_I", "D_V") for p in getattr(net, n).parameters()]
        disc_params = [p for n in disc_nets for p in getattr(net, n).parameters()]
        gen_opt, disc_opt = Adam(gen_params, m), Adam(disc_params, m)
        source = moving_squares(1, a.batch, m["frames"], m["size"])
        target = moving_squares(2, a.batch, m["frames"], m["size"])
        secs = []
        for i in range(a.warmup + a.steps):
            t0 = time.perf_counter()
            values = training_step(net, m, gen_params, disc_all, gen_opt, disc_opt, source, target)
            dt = time.perf_counter() - t0
            if i >= a.warmup:
                secs.append(dt)
            print("reference: step %d %.3f s  L_rec %.4f" % (i, dt, values.get("L_rec", 0)), file=sys.stderr)
        result["step_seconds"] = [round(s, 4) for s in secs]
        result["median_step_seconds"] = round(median(secs), 4)
        result["clips_per_second"] = round(a.batch / median(secs), 3)

    net.eval()
    image = torch.rand(1, 3, m["size"], m["size"]) * 2 - 1
    driving = torch.rand(1, a.driving_frames, 3, m["size"], m["size"]) * 2 - 1
    for key, call in (("transfer", lambda: transfer(net, m, image, driving)),
                      ("generate", lambda: generate(net, m, image, a.samples, m["frames"]))):
        if key not in what:
            continue
        for _ in range(2):
            call()
        ms = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            call()
            ms.append((time.perf_counter() - t0) * 1e3)
        result[key + "_ms"] = [round(x, 2) for x in ms]
        result[key + "_median_ms"] = round(median(ms), 2)
        print("reference: %s median %.1f ms" % (key, median(ms)), file=sys.stderr)
    print("REFERENCE " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
