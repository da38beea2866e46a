/** Every keyboard shortcut, as the help dialog lists it (Mod = Ctrl, or ⌘ on a Mac). */
export const SHORTCUTS: { group: string; items: [keys: string[], what: string][] }[] = [
  {
    group: 'Edit',
    items: [
      [['Delete'], 'Delete the selection (also Backspace)'],
      [['Mod', 'D'], 'Duplicate the selection'],
      [['Mod', 'C'], 'Copy the selection'],
      [['Mod', 'X'], 'Cut the selection'],
      [['Mod', 'V'], 'Paste'],
      [['Mod', 'A'], 'Select every node'],
      [['Mod', 'Z'], 'Undo'],
      [['Mod', 'Shift', 'Z'], 'Redo (also Mod+Y)'],
      [['←', '↑', '→', '↓'], 'Move the selection (Shift: 10 times further)'],
      [['Esc'], 'Clear the selection, close menus'],
    ],
  },
  {
    group: 'Canvas',
    items: [
      [['Shift', 'drag'], 'Select with a box; Shift/Mod+click adds to the selection'],
      [['+'], 'Zoom in'],
      [['-'], 'Zoom out'],
      [['Shift', '1'], 'Fit the whole workflow in view (also F)'],
      [['L'], 'Auto-layout'],
      [['G'], 'Snap to grid on/off'],
      [['M'], 'Minimap on/off'],
      [['N'], 'Find a node to add (palette search; Enter adds it after the selected node, connected)'],
      [['Enter'], 'On a focused output, then on another node’s input: connect them (Esc cancels)'],
      [['Right-click'], 'Context menu: add a node here, copy, paste, delete'],
    ],
  },
  {
    group: 'Workflow',
    items: [
      [['Mod', 'S'], 'Save the draft now (it also saves by itself)'],
      [['Mod', 'Enter'], 'Run'],
      [['Mod', 'Shift', 'P'], 'Publish a version'],
      [['?'], 'This help'],
    ],
  },
];
