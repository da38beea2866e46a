'use client';
import { useStore, useStoreApi, type ReactFlowState } from '@xyflow/react';
import { useId, useLayoutEffect, useRef } from 'react';

const zoomOf = (s: ReactFlowState) => s.transform[2];
/** `a mod m` in [0, m), also for negative `a`. */
const mod = (a: number, m: number) => ((a % m) + m) % m;

/**
 * The dotted canvas background, drawn as React Flow's `<Background variant="dots">` draws it, but
 * panning does not repaint it: the dots are one layer, a gap larger than the canvas on every side,
 * that a pan only shifts (by the pan modulo the gap, so it never runs out) with a compositor-only
 * transform. React Flow's pattern moves inside its SVG instead, so every pan frame repainted and
 * re-rasterized the whole canvas (bench/ studio500). The dots are redrawn when the zoom changes.
 */
export function CanvasDots({ gap, size }: { gap: number; size: number }) {
  const store = useStoreApi();
  const zoom = useStore(zoomOf);
  const layer = useRef<SVGSVGElement>(null);
  const id = `dots-${useId()}`;
  const step = gap * zoom;
  const r = (size * zoom) / 2;

  // Written to the DOM on every store update that moves the view, as React Flow's viewport is: no React render per frame.
  useLayoutEffect(() => {
    const place = () => {
      const [x, y, z] = store.getState().transform;
      const s = gap * z;
      if (layer.current) layer.current.style.transform = `translate(${mod(x, s) - s}px, ${mod(y, s) - s}px)`;
    };
    place();
    return store.subscribe(place);
  }, [store, gap]);

  return (
    <div className="react-flow__background canvas-dots" data-testid="canvas-dots" aria-hidden>
      <svg ref={layer} className="canvas-dots-layer" style={{ width: `calc(100% + ${2 * step}px)`, height: `calc(100% + ${2 * step}px)` }}>
        <pattern id={id} width={step} height={step} patternUnits="userSpaceOnUse" patternTransform={`translate(${-step / 2},${-step / 2})`}>
          <circle cx={r} cy={r} r={r} />
        </pattern>
        <rect width="100%" height="100%" fill={`url(#${id})`} />
      </svg>
    </div>
  );
}
