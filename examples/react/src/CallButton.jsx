import { useEffect, useRef } from 'react';

/**
 * <call-button> for React: the element's properties are set through a ref (a function such as
 * `tokenProvider` cannot be an attribute), and its DOM events are handed to callbacks.
 */
export function CallButton({ serviceUrl, getToken, clientSelected, conversationStarted, agentOwns, media, onCallCreated, onCallEnded, onCallError }) {
  const ref = useRef(null);
  const callbacks = useRef({});
  callbacks.current = { onCallCreated, onCallEnded, onCallError };

  useEffect(() => {
    Object.assign(ref.current, { tokenProvider: getToken, clientSelected, conversationStarted, agentOwns, media });
  }, [getToken, clientSelected, conversationStarted, agentOwns, media]);

  useEffect(() => {
    const element = ref.current;
    const listeners = {
      'call-created': (e) => callbacks.current.onCallCreated?.(e.detail),
      'call-ended': (e) => callbacks.current.onCallEnded?.(e.detail),
      'call-error': (e) => callbacks.current.onCallError?.(e.detail),
    };
    for (const [type, listener] of Object.entries(listeners)) element.addEventListener(type, listener);
    return () => {
      for (const [type, listener] of Object.entries(listeners)) element.removeEventListener(type, listener);
    };
  }, []);

  return <call-button ref={ref} service-url={serviceUrl} />;
}
