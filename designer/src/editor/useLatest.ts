// The latest value of a render, for callbacks bound once (keyboard handler, canvas events) that must
// not see the value of the render they were created in.
import { useRef, type RefObject } from 'react';

export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
