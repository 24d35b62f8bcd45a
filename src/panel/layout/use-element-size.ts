import type { RefObject } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';

export interface ElementSize {
  width: number;
  height: number;
}

/**
 * An element's content size, kept current by a ResizeObserver: the panel lays itself out by its
 * own size (DevTools docked at the bottom, at the side, or a pop-out window), not the screen's.
 */
export function useElementSize(ref: RefObject<HTMLElement>, fallback: ElementSize): ElementSize {
  const [size, setSize] = useState(fallback);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const width = element.clientWidth;
      const height = element.clientHeight;
      // happy-dom and hidden panels report 0: keep the last real size rather than collapse.
      if (width === 0 && height === 0) return;
      setSize((old) => (old.width === width && old.height === height ? old : { width, height }));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}
