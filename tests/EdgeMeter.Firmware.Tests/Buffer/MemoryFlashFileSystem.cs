using System;
using System.Collections;
using EdgeMeter.Core.Buffer;

namespace EdgeMeter.Firmware.Tests.Buffer;

/// <summary>Files in RAM, for buffer round trips that do not touch flash. Flush is a no-op: RAM never loses power here.</summary>
internal sealed class MemoryFlashFileSystem : IFlashFileSystem
{
    private readonly ArrayList _files = new ArrayList();

    public string[] List()
    {
        var names = new string[_files.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = ((MemoryFile)_files[i]).Name;
        }

        return names;
    }

    public IFlashFile Open(string name) => Find(name) ?? Add(name);

    public void Delete(string name)
    {
        var file = Find(name);
        if (file != null)
        {
            _files.Remove(file);
        }
    }

    private MemoryFile? Find(string name)
    {
        for (var i = 0; i < _files.Count; i++)
        {
            var file = (MemoryFile)_files[i];
            if (file.Name == name)
            {
                return file;
            }
        }

        return null;
    }

    private MemoryFile Add(string name)
    {
        var file = new MemoryFile(name);
        _files.Add(file);
        return file;
    }

    private sealed class MemoryFile : IFlashFile
    {
        private byte[] _bytes = new byte[256];
        private int _length;

        public MemoryFile(string name)
        {
            Name = name;
        }

        public string Name { get; }

        public long Length => _length;

        public int Read(long position, byte[] buffer, int offset, int count)
        {
            var available = _length - (int)position;
            var n = available < count ? available : count;
            if (n <= 0)
            {
                return 0;
            }

            Array.Copy(_bytes, (int)position, buffer, offset, n);
            return n;
        }

        public void Write(long position, byte[] buffer, int offset, int count)
        {
            if (position > _length)
            {
                throw new ArgumentOutOfRangeException("position");
            }

            var end = (int)position + count;
            if (end > _bytes.Length)
            {
                var grown = new byte[end * 2];
                Array.Copy(_bytes, grown, _length);
                _bytes = grown;
            }

            Array.Copy(buffer, offset, _bytes, (int)position, count);
            _length = end > _length ? end : _length;
        }

        public void Truncate(long length)
        {
            if (length < _length)
            {
                _length = (int)length;
            }
        }

        public void Flush()
        {
        }

        public void Dispose()
        {
        }
    }
}
