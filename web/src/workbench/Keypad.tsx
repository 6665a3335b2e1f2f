// A 12-key telephone keypad (dial pad and 输分机号).
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const id = (k: string): string => (k === '*' ? 'star' : k === '#' ? 'hash' : k);

export function Keypad({ onKey, testPrefix, disabled }: { onKey: (k: string) => void; testPrefix: string; disabled?: boolean }) {
  return (
    <div className="keypad wb-keypad">
      {KEYS.map((k) => (
        <button key={k} type="button" className="key" disabled={disabled} data-testid={`${testPrefix}-${id(k)}`} onClick={() => onKey(k)}>{k}</button>
      ))}
    </div>
  );
}
