import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** Scroll position and height of a scrolling element, for windowed rendering. */
export function useViewport<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setHeight(element.clientHeight || 400);
    const observer = new ResizeObserver(() => setHeight(element.clientHeight || 400));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const onScroll = () => setScrollTop(ref.current?.scrollTop ?? 0);
  return { ref, scrollTop, height, onScroll, setScrollTop };
}

/** The range of rows to render: those in view plus `overscan` on each side. */
export function visibleRange(
  scrollTop: number,
  height: number,
  rowHeight: number,
  count: number,
  overscan = 10,
) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return { first, last };
}
