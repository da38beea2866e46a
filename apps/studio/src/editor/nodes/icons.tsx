import { Box, Clock, Code, GitBranch, Globe, Layers, Play, Repeat, Shuffle, Square, UserCheck, type LucideIcon } from 'lucide-react';

const ICONS: Record<string, LucideIcon> = {
  play: Play,
  shuffle: Shuffle,
  globe: Globe,
  'git-branch': GitBranch,
  clock: Clock,
  'user-check': UserCheck,
  repeat: Repeat,
  layers: Layers,
  code: Code,
  square: Square,
};

/** The catalog's icon name as a component (a box for names this studio does not know yet). */
export function NodeIcon({ name, size = 16 }: { name: string | undefined; size?: number }) {
  const Icon = (name && ICONS[name]) || Box;
  return <Icon size={size} strokeWidth={2} aria-hidden />;
}
