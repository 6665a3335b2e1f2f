// The workbench socket and the softphone for the logged-in agent: microphone permission, device choice
// (input by replaceTrack, output by setSinkId), server events handed to the page, and recovery after a
// network blip (the socket reconnects and the softphone restarts ICE on its transports; a transport whose ICE
// drops while the socket stays up gets an ICE restart too).
import { useCallback, useEffect, useRef, useState } from 'react';
import { Softphone, WorkbenchSocket, type SoftphoneState } from '../softphone';
import { csrfToken } from './wb-api';

export type PhoneState = SoftphoneState | 'off' | 'connecting' | 'unavailable' | 'denied' | 'no-mic' | 'replaced';
export type MicPermission = 'unknown' | 'prompt' | 'granted' | 'denied';

export interface SoftphoneHandle {
  state: PhoneState;
  /** The socket is up (events flow) even when the softphone is not (no microphone, an admin). */
  socketUp: boolean;
  mic: MicPermission;
  error: string | null;
  inputs: MediaDeviceInfo[];
  outputs: MediaDeviceInfo[];
  inputId: string;
  outputId: string;
  setInput: (id: string) => Promise<void>;
  setOutput: (id: string) => void;
  retry: () => void;
  setMuted: (muted: boolean) => Promise<void>;
  /** Tests and the "network blip" path: drop the socket (it reconnects). */
  socket: WorkbenchSocket | null;
  phone: Softphone | null;
}

type Handler = (event: string, data: Record<string, unknown>) => void;

const EVENTS = ['incoming', 'callOffer', 'callOfferEnded', 'callState', 'dtmf', 'replaced', 'sessionEnded'];
const INPUT_KEY = 'ccbox.wb.input';
const OUTPUT_KEY = 'ccbox.wb.output';

const stored = (k: string): string => {
  try {
    return localStorage.getItem(k) ?? '';
  } catch {
    return '';
  }
};
const store = (k: string, v: string): void => {
  try {
    localStorage.setItem(k, v);
  } catch {
    /* storage blocked */
  }
};

export function useSoftphone(enabled: boolean, onEvent: Handler): SoftphoneHandle {
  const [state, setState] = useState<PhoneState>('off');
  const [socketUp, setSocketUp] = useState(false);
  const [mic, setMic] = useState<MicPermission>('unknown');
  const [error, setError] = useState<string | null>(null);
  const [inputs, setInputs] = useState<MediaDeviceInfo[]>([]);
  const [outputs, setOutputs] = useState<MediaDeviceInfo[]>([]);
  const [inputId, setInputId] = useState(() => stored(INPUT_KEY));
  const [outputId, setOutputId] = useState(() => stored(OUTPUT_KEY));
  const [attempt, setAttempt] = useState(0);
  const socketRef = useRef<WorkbenchSocket | null>(null);
  const phoneRef = useRef<Softphone | null>(null);
  const audios = useRef(new Set<HTMLAudioElement>());
  const outputRef = useRef(outputId);
  const handler = useRef(onEvent);
  handler.current = onEvent;

  const listDevices = useCallback(async () => {
    const all = await navigator.mediaDevices?.enumerateDevices?.().catch(() => []) ?? [];
    setInputs(all.filter((d) => d.kind === 'audioinput'));
    setOutputs(all.filter((d) => d.kind === 'audiooutput'));
  }, []);

  // The microphone permission, watched so the page can say what to do when it is blocked.
  useEffect(() => {
    let status: PermissionStatus | null = null;
    const update = () => status && setMic(status.state as MicPermission);
    navigator.permissions?.query({ name: 'microphone' as PermissionName }).then((s) => {
      status = s;
      update();
      s.addEventListener('change', update);
    }, () => undefined);
    navigator.mediaDevices?.addEventListener?.('devicechange', listDevices);
    return () => {
      status?.removeEventListener('change', update);
      navigator.mediaDevices?.removeEventListener?.('devicechange', listDevices);
    };
  }, [listDevices]);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let retryTimer: number | undefined;
    const offs: (() => void)[] = [];
    const attachAudio = (track: MediaStreamTrack): (() => void) => {
      const el = document.createElement('audio') as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
      el.autoplay = true;
      el.srcObject = new MediaStream([track]);
      el.dataset.testid = 'remote-audio';
      el.style.display = 'none';
      if (outputRef.current && el.setSinkId) void el.setSinkId(outputRef.current).catch(() => undefined);
      document.body.appendChild(el);
      void el.play().catch(() => undefined);
      audios.current.add(el);
      return () => {
        audios.current.delete(el);
        el.remove();
      };
    };

    (async () => {
      setState('connecting');
      setError(null);
      const socket = new WorkbenchSocket({ csrf: await csrfToken(true) });
      socketRef.current = socket;
      for (const ev of EVENTS) offs.push(socket.on(ev, (d) => handler.current(ev, (d ?? {}) as Record<string, unknown>)));
      offs.push(socket.on('welcome', () => setSocketUp(true)));
      offs.push(socket.on('close', (d: { code: number; final: boolean }) => {
        setSocketUp(false);
        if (d.code === 4409) setState('replaced');
      }));
      const welcome = await socket.connect();
      if (!live) return;
      if (!welcome.softphone) return setState('unavailable');
      const deviceId = stored(INPUT_KEY);
      const phone = new Softphone({ socket, law: 'pcma', ...(deviceId ? { audio: { deviceId: { ideal: deviceId } } } : {}), attachAudio });
      phoneRef.current = phone;
      offs.push(phone.onState((s) => live && setState(s)));
      try {
        await phone.start();
      } catch (err) {
        const name = (err as { name?: string }).name;
        if (!live) return;
        if (name === 'NotAllowedError' || name === 'SecurityError') setState('denied');
        else if (name === 'NotFoundError' || name === 'OverconstrainedError') setState('no-mic');
        else setError(err instanceof Error ? err.message : String(err));
        return;
      }
      if (!live) return;
      setMic('granted');
      await listDevices();
      // ICE dropped while the socket is fine (Wi-Fi switch, UDP blocked for a while): new ICE credentials.
      let restarting = false;
      const watch = (t: { on: (e: 'connectionstatechange', fn: (s: string) => void) => void } | null) => t?.on('connectionstatechange', (s) => {
        if ((s === 'disconnected' || s === 'failed') && socket.connected && !restarting) {
          restarting = true;
          void phone.restartIce().catch(() => undefined).finally(() => (restarting = false));
        }
      });
      watch(phone.transports.send);
      watch(phone.transports.recv);
    })().catch((err: unknown) => {
      if (!live) return;
      setState('failed');
      setError(err instanceof Error ? err.message : String(err));
      // The box may be restarting: start over in a while (the socket's own backoff only covers a live session).
      retryTimer = window.setTimeout(() => setAttempt((n) => n + 1), 5_000);
    });

    const online = () => {
      const p = phoneRef.current;
      if (p && socketRef.current?.connected) void p.restartIce().catch(() => undefined);
    };
    window.addEventListener('online', online);
    return () => {
      live = false;
      window.clearTimeout(retryTimer);
      window.removeEventListener('online', online);
      for (const off of offs) off();
      phoneRef.current?.stop();
      phoneRef.current = null;
      socketRef.current?.close();
      socketRef.current = null;
      setSocketUp(false);
    };
  }, [enabled, attempt, listDevices]);

  const setInput = useCallback(async (id: string) => {
    setInputId(id);
    store(INPUT_KEY, id);
    if (phoneRef.current?.state === 'ready' && id) await phoneRef.current.setInputDevice(id);
  }, []);

  const setOutput = useCallback((id: string) => {
    setOutputId(id);
    outputRef.current = id;
    store(OUTPUT_KEY, id);
    for (const el of audios.current) void (el as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }).setSinkId?.(id).catch(() => undefined);
  }, []);

  const setMuted = useCallback(async (muted: boolean) => {
    await phoneRef.current?.setMuted(muted);
  }, []);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return {
    state, socketUp, mic, error, inputs, outputs, inputId, outputId, setInput, setOutput, retry, setMuted,
    socket: socketRef.current, phone: phoneRef.current,
  };
}
