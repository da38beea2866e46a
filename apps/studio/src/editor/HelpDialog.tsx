'use client';
import { Dialog } from '../components/Dialog';
import { SHORTCUTS } from './shortcuts';

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Every shortcut, grouped. */
export function HelpDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const mod = isMac() ? '⌘' : 'Ctrl';
  return (
    <Dialog title="Keyboard shortcuts" open={open} onClose={onClose} width={640} testId="help-dialog">
      <div className="shortcuts">
        {SHORTCUTS.map((g) => (
          <section key={g.group}>
            <h3 className="section-title">{g.group}</h3>
            <table>
              <tbody>
                {g.items.map(([keys, what]) => (
                  <tr key={what}>
                    <td className="shortcut-keys">
                      {keys.map((k) => (
                        <kbd key={k} className="kbd">
                          {k === 'Mod' ? mod : k}
                        </kbd>
                      ))}
                    </td>
                    <td>{what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
