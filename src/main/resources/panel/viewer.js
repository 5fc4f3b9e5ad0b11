'use strict';
/*
 * Tandem image viewer: full-resolution 16-bit display values drawn on a canvas with client-side
 * window/level, zoom and pan, and a saliency overlay (viridis, colour-blind safe) with the lesion
 * box and contour. See docs/decisions/0011-review-panel-image-delivery.md.
 */
(function () {
  // Viridis, polynomial fit (Matt Zucker's 6th-order fit of matplotlib's viridis).
  const C = [[0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
    [0.1050930431085774, 1.404613529898575, 1.384590162594685],
    [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
    [-4.634230498983486, -5.799100973351585, -19.33244095627987],
    [6.228269936347081, 14.17993336680509, 56.69055260068105],
    [4.776384997670288, -13.74514537774601, -65.35303263337234],
    [-5.435455855934631, 4.645852612178535, 26.3124352495832]];
  function viridis(t) {
    const out = [0, 0, 0];
    for (let ch = 0; ch < 3; ch++) {
      let v = 0;
      for (let k = 6; k >= 0; k--) v = v * t + C[k][ch];
      out[ch] = Math.max(0, Math.min(255, Math.round(v * 255)));
    }
    return out;
  }
  const VIRIDIS = [];
  for (let i = 0; i < 256; i++) VIRIDIS.push(viridis(i / 255));

  function drawColourBar(canvas) {
    const ctx = canvas.getContext('2d');
    for (let x = 0; x < canvas.width; x++) {
      const c = VIRIDIS[Math.round((x / (canvas.width - 1)) * 255)];
      ctx.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
      ctx.fillRect(x, 0, 1, canvas.height);
    }
  }

  class Viewer {
    constructor(canvas) {
      this.canvas = canvas;
      this.ctx = canvas.getContext('2d');
      this.image = null; // {rows, columns, values: Uint16Array, center, width, defaults}
      this.windowed = document.createElement('canvas');
      this.overlay = null; // {canvas, saliency}
      this.overlayVisible = true;
      this.opacity = 0.55;
      this.scale = 1; this.tx = 0; this.ty = 0;
      this.pending = false;
      this.onchange = () => {};
      this.bindPointer();
      new ResizeObserver(() => { this.resize(); }).observe(canvas);
    }

    setImage(values, rows, columns, center, width, meta) {
      this.image = { values, rows, columns, center, width, defaults: [center, width], meta };
      this.windowed.width = columns;
      this.windowed.height = rows;
      this.applyWindow();
      this.resize();
      this.fit();
    }

    clear() {
      this.image = null; this.overlay = null;
      this.ctx.setTransform(1, 0, 0, 1, 0, 0);
      this.ctx.fillStyle = '#000';
      this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    }

    applyWindow() {
      const im = this.image;
      const lut = new Uint32Array(65536);
      const low = im.center - im.width / 2;
      for (let d = 0; d < 65536; d++) {
        let g = Math.round(((d - low) / im.width) * 255);
        g = g < 0 ? 0 : g > 255 ? 255 : g;
        lut[d] = 0xff000000 | (g << 16) | (g << 8) | g; // little-endian RGBA
      }
      const wctx = this.windowed.getContext('2d');
      const data = wctx.createImageData(im.columns, im.rows);
      const px = new Uint32Array(data.data.buffer);
      const v = im.values;
      for (let i = 0; i < v.length; i++) px[i] = lut[v[i]];
      wctx.putImageData(data, 0, 0);
    }

    setWindow(center, width) {
      if (!this.image) return;
      this.image.center = center;
      this.image.width = Math.max(1, width);
      this.applyWindow();
      this.render();
    }

    resetWindow() {
      if (this.image) this.setWindow(this.image.defaults[0], this.image.defaults[1]);
    }

    setOverlay(saliency) {
      if (!saliency) { this.overlay = null; this.render(); return; }
      const c = document.createElement('canvas');
      c.width = saliency.gridColumns; c.height = saliency.gridRows;
      this.overlay = { canvas: c, saliency };
      this.paintOverlay();
      this.render();
    }

    paintOverlay() {
      if (!this.overlay) return;
      const s = this.overlay.saliency;
      const octx = this.overlay.canvas.getContext('2d');
      const data = octx.createImageData(s.gridColumns, s.gridRows);
      for (let i = 0; i < s.values.length; i++) {
        const v = Math.max(0, Math.min(1, s.values[i]));
        const c = VIRIDIS[Math.round(v * 255)];
        data.data[4 * i] = c[0]; data.data[4 * i + 1] = c[1]; data.data[4 * i + 2] = c[2];
        data.data[4 * i + 3] = Math.round(255 * this.opacity * Math.min(1, v / 0.35));
      }
      octx.putImageData(data, 0, 0);
    }

    setOpacity(opacity) { this.opacity = opacity; this.paintOverlay(); this.render(); }
    setOverlayVisible(on) { this.overlayVisible = on; this.render(); }

    resize() {
      const r = this.canvas.getBoundingClientRect();
      const w = Math.max(1, Math.round(r.width)), h = Math.max(1, Math.round(r.height));
      if (this.canvas.width !== w || this.canvas.height !== h) {
        this.canvas.width = w; this.canvas.height = h;
        if (this.image) this.fit();
      }
    }

    fit() {
      if (!this.image) return;
      const s = Math.min(this.canvas.width / this.image.columns, this.canvas.height / this.image.rows);
      this.scale = s;
      this.tx = (this.canvas.width - this.image.columns * s) / 2;
      this.ty = (this.canvas.height - this.image.rows * s) / 2;
      this.render();
    }

    actualSize() { this.zoomAt(1 / this.scale, this.canvas.width / 2, this.canvas.height / 2); }

    zoomAt(factor, x, y) {
      if (!this.image) return;
      const s = Math.max(0.02, Math.min(16, this.scale * factor));
      const f = s / this.scale;
      this.tx = x - (x - this.tx) * f; this.ty = y - (y - this.ty) * f;
      this.scale = s;
      this.render();
    }

    render() {
      if (this.pending) return;
      this.pending = true;
      requestAnimationFrame(() => { this.pending = false; this.draw(); });
    }

    /** Draws now; returns when the canvas holds the image (and overlay when visible). */
    draw() {
      const ctx = this.ctx;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
      if (!this.image) return;
      ctx.setTransform(this.scale, 0, 0, this.scale, this.tx, this.ty);
      ctx.imageSmoothingEnabled = this.scale < 1;
      ctx.drawImage(this.windowed, 0, 0);
      if (this.overlay && this.overlayVisible) {
        const s = this.overlay.saliency;
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(this.overlay.canvas, 0, 0, s.imageColumns, s.imageRows);
        if (s.region) this.drawRegion(s.region);
      }
      this.onchange();
    }

    drawRegion(region) {
      const ctx = this.ctx;
      const px = 1 / this.scale;
      ctx.lineWidth = 2 * px;
      ctx.setLineDash([6 * px, 4 * px]);
      ctx.strokeStyle = '#ffffff';
      ctx.strokeRect(region.left, region.top, region.width, region.height);
      ctx.setLineDash([]);
      if (region.contour && region.contour.length > 2) {
        ctx.beginPath();
        region.contour.forEach((p, i) => (i ? ctx.lineTo(p[0], p[1]) : ctx.moveTo(p[0], p[1])));
        ctx.closePath();
        ctx.lineWidth = 4 * px; ctx.strokeStyle = '#000000'; ctx.stroke();
        ctx.lineWidth = 2 * px; ctx.strokeStyle = '#ff8c1a'; ctx.stroke();
      }
    }

    bindPointer() {
      const c = this.canvas;
      let drag = null;
      c.addEventListener('contextmenu', (e) => e.preventDefault());
      c.addEventListener('wheel', (e) => {
        e.preventDefault();
        const r = c.getBoundingClientRect();
        this.zoomAt(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top);
      }, { passive: false });
      c.addEventListener('pointerdown', (e) => {
        c.setPointerCapture(e.pointerId);
        const wl = e.button === 2 || e.shiftKey;
        drag = { x: e.clientX, y: e.clientY, wl, tx: this.tx, ty: this.ty,
          center: this.image ? this.image.center : 0, width: this.image ? this.image.width : 1 };
        c.style.cursor = wl ? 'crosshair' : 'grabbing';
      });
      c.addEventListener('pointermove', (e) => {
        if (!drag || !this.image) return;
        const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (drag.wl) {
          const step = drag.width / 256;
          this.setWindow(drag.center + dy * step, drag.width + dx * step * 2);
        } else {
          this.tx = drag.tx + dx; this.ty = drag.ty + dy; this.render();
        }
      });
      c.addEventListener('pointerup', () => { drag = null; c.style.cursor = 'grab'; });
    }
  }

  window.TandemViewer = { Viewer, drawColourBar };
})();
