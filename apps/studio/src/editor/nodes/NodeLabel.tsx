import { NodeIcon } from './icons';

/** A node's icon, name and second line (nodes leave it out when zoomed far out: editor/zoom.ts). */
export function NodeLabel({ icon, title, sub, mono = false }: { icon: string | undefined; title: string; sub: string; mono?: boolean }) {
  return (
    <>
      <div className="wf-node-icon">
        <NodeIcon name={icon} />
      </div>
      <div className="wf-node-text">
        <div className="wf-node-title">{title}</div>
        <div className={mono ? 'wf-node-sub mono' : 'wf-node-sub'}>{sub}</div>
      </div>
    </>
  );
}
